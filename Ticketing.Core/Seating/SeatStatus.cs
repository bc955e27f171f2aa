namespace Ticketing.Core.Seating;

public enum SeatStatus { Available, Held, Sold, Blocked }
