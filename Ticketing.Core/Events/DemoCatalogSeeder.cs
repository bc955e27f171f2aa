using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Accounts;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Events;

/// <summary>
/// <c>Seed:DemoData</c>: when the catalogue is empty, a demo Organizer and a catalogue that fills every row of the home page
/// (school gala, club concert, festival, a stadium tour of 9 cities, theatre, comedy, sport, family). Dates follow the clock.
/// Running it again on a non-empty catalogue does nothing.
/// </summary>
public sealed class DemoCatalogSeeder(
    IDbContextFactory<TicketingDbContext> dbFactory,
    UserManager<AppUser> users,
    TimeProvider clock,
    ILogger<DemoCatalogSeeder> logger,
    Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> localizer)
{
    public const string OrganizerEmail = "organizer@ticketing.local";
    public const string OrganizerPassword = "Demo-Organizer-2026";

    public async Task<bool> SeedAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Events.AnyAsync(ct)) return false;

        var now = clock.GetUtcNow();
        var organizer = await users.FindByEmailAsync(OrganizerEmail);
        if (organizer is null)
        {
            organizer = new AppUser
            {
                Id = Guid.CreateVersion7(), UserName = OrganizerEmail, Email = OrganizerEmail, EmailConfirmed = true,
                DisplayName = "Live Nation Demo", PreferredLanguage = "fr", CreatedAt = now,
            };
            var created = await users.CreateAsync(organizer, OrganizerPassword);
            if (!created.Succeeded)
                throw new InvalidOperationException("Could not create the demo organizer: " + string.Join(", ", created.Errors.Select(e => e.Code)));
        }
        if (!await users.IsInRoleAsync(organizer, Roles.Organizer)) await users.AddToRoleAsync(organizer, Roles.Organizer);

        var day0 = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        DateTimeOffset At(int days, int hourUtc, int minute = 0) => day0.AddDays(days).AddHours(hourUtc).AddMinutes(minute);
        // Reserved seating (issue 22): a 604-seat theatre numbered odd-even and an 80,000-seat stadium.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var theatrePlan = Seating.SeatingRules.Build(TheatrePlan(localizer), organizer.Id, now, localizer);
        var stadiumPlan = Seating.SeatingRules.Build(StadiumPlan(), organizer.Id, now, localizer);
        db.SeatingPlans.AddRange(theatrePlan, stadiumPlan);
        await db.SaveChangesAsync(ct);
        var seated = SeatedEvents(At).ToList();
        var events = Build(At).Concat(seated.Select(s => s.Event)).ToList();
        foreach (var e in events)
        {
            e.Id = Guid.CreateVersion7();
            e.OwnerId = organizer.Id;
            e.Status = EventStatus.Published;
            e.CreatedAt = e.UpdatedAt = now;
            e.PublishedAt = now;
            foreach (var p in e.Performances)
            {
                p.Id = Guid.CreateVersion7();
                p.EventId = e.Id;
                p.SetCity(p.City);
                p.TicketPrefix = Performance.MakeTicketPrefix(p.City, p.StartsAt, p.Id);
                var order = 0;
                foreach (var c in p.Categories)
                {
                    c.Id = Guid.CreateVersion7();
                    c.PerformanceId = p.Id;
                    c.SortOrder = order++;
                }
            }
            e.RefreshSearchText();
        }
        var actor = new Common.Actor(organizer.Id, false);
        foreach (var (e, stadium) in seated)
            foreach (var p in e.Performances)
                await Seating.PerformanceSeating.AttachAsync(db, p, stadium ? stadiumPlan.Id : theatrePlan.Id, actor, "seatingPlanId",
                    new Common.Validator(localizer), ct);
        db.Events.AddRange(events);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Demo catalogue created: {Count} events for organizer {UserId}", events.Count, organizer.Id);
        return true;
    }

    // The second number is the demand the organizer expects (kept for reading the demo); counters start at zero:
    // every sold seat in the database is a real paid order with its tickets, never a made-up figure.
    private static PriceCategory Cat(string name, decimal price, int capacity, int expected = 0) =>
        new() { Name = name, PriceMinor = (long)(price * 100), Currency = "EUR", Capacity = capacity };

    private static Performance Perf(DateTimeOffset at, string venue, string city, string address, string country, params PriceCategory[] cats) =>
        new()
        {
            StartsAt = at, VenueName = venue, City = city, Address = address, Country = country, Categories = cats.ToList(),
        };

    /// <summary>Parterre (14 rows curved), corbeille (6) and balcon (4), numbered odd-even from the centre aisle as French halls do: 604 seats.</summary>
    private static Seating.SeatingPlanInput TheatrePlan(Microsoft.Extensions.Localization.IStringLocalizer localizer)
    {
        var plan = Seating.SeatBlockGenerator.Generate(new Seating.GeneratePlanInput("Théâtre des Célestins (demo)",
        [
            new Seating.SeatBlockInput("Parterre", 14, 26, Numbering: Seating.SeatNumbering.OddEven, Shape: Seating.BlockShape.Curved, Radius: 320,
                Category: "Orchestre"),
            new Seating.SeatBlockInput("Corbeille", 6, 24, Numbering: Seating.SeatNumbering.OddEven, Shape: Seating.BlockShape.Curved, Radius: 420,
                Y: 200, Category: "Corbeille"),
            new Seating.SeatBlockInput("Balcon", 4, 24, Numbering: Seating.SeatNumbering.OddEven, Shape: Seating.BlockShape.Curved, Radius: 500,
                Y: 290, Category: "Balcon"),
        ]), localizer);
        // The last row of the parterre: wheelchair spaces at both ends, their companion seats next to them.
        var sections = plan.Sections!.Select((section, si) => si != 0 ? section : section with
        {
            Rows = section.Rows!.Select((row, ri) => ri != section.Rows!.Count - 1 ? row : row with
            {
                Seats = row.Seats!.Select((seat, k) => k == 0 || k == row.Seats!.Count - 1 ? seat with { Accessible = true }
                    : k == 1 || k == row.Seats!.Count - 2 ? seat with { Companion = true } : seat).ToList(),
            }).ToList(),
        }).ToList();
        return plan with { Sections = sections };
    }

    /// <summary>A stadium around a pitch: 40 stands of 40 rows × 50 seats (80,000 seats), three price categories.</summary>
    private static Seating.SeatingPlanInput StadiumPlan()
    {
        const int rows = 40, seatsPerRow = 50;
        const double seat = 6, row = 7, block = seatsPerRow * seat + 30, pitchW = 12 * block, pitchH = 8 * block;
        var sections = new List<Seating.SectionInput>();
        var sides = new (string Name, int Count)[] { ("Nord", 12), ("Est", 8), ("Sud", 12), ("Ouest", 8) };
        foreach (var (side, count) in sides)
            for (var b = 0; b < count; b++)
            {
                var name = $"{side} {b + 1}";
                var category = b < count / 4 || b >= count - count / 4 ? "Catégorie 3" : side is "Est" or "Ouest" ? "Catégorie 1" : "Catégorie 2";
                var rowInputs = new List<Seating.RowInput>();
                for (var r = 0; r < rows; r++)
                {
                    var seats = new List<Seating.SeatInput>();
                    for (var k = 0; k < seatsPerRow; k++)
                    {
                        var along = -count * block / 2 + b * block + 15 + k * seat;
                        var depth = 40 + r * row;
                        var (x, y) = side switch
                        {
                            "Nord" => (along, -pitchH / 2 - depth),
                            "Sud" => (-along, pitchH / 2 + depth),
                            "Est" => (pitchW / 2 + depth, along),
                            _ => (-pitchW / 2 - depth, -along),
                        };
                        seats.Add(new Seating.SeatInput((k + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), x, y, category));
                    }
                    rowInputs.Add(new Seating.RowInput((r + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), seats));
                }
                sections.Add(new Seating.SectionInput(name, rowInputs));
            }
        return new Seating.SeatingPlanInput("Stade (demo, 80,000 seats)", sections);
    }

    private static IEnumerable<(Event Event, bool Stadium)> SeatedEvents(Func<int, int, int, DateTimeOffset> at)
    {
        yield return (new Event
        {
            Title = "Cyrano de Bergerac — placement numéroté", Artist = "Compagnie des Célestins", Category = EventCategory.Theatre,
            ImageUrl = "/img/events/theatre.svg", MaxTicketsPerOrder = 8,
            Description = "Rostand's classic in a 604-seat Italian theatre: choose your seat on the plan.",
            DescriptionFr = "Le classique de Rostand dans un théâtre à l'italienne de 604 places : choisissez votre place sur le plan.",
            Performances =
            [
                Perf(at(12, 19, 0), "Théâtre des Célestins", "Lyon", "4 rue Charles Dullin, 69002 Lyon", "FR",
                    Cat("Orchestre", 48m, 0), Cat("Corbeille", 36m, 0), Cat("Balcon", 22m, 0)),
                Perf(at(13, 19, 0), "Théâtre des Célestins", "Lyon", "4 rue Charles Dullin, 69002 Lyon", "FR",
                    Cat("Orchestre", 48m, 0), Cat("Corbeille", 36m, 0), Cat("Balcon", 22m, 0)),
            ],
        }, false);
        yield return (new Event
        {
            Title = "Finale de la Coupe — stade de 80 000 places", Category = EventCategory.Sport,
            ImageUrl = "/img/events/sport.svg", MaxTicketsPerOrder = 10,
            Description = "The cup final in an 80,000-seat stadium: pick your seat in any stand.",
            DescriptionFr = "La finale de la coupe dans un stade de 80 000 places : choisissez votre place dans n'importe quelle tribune.",
            Performances =
            [
                Perf(at(30, 19, 0), "Stade de France", "Saint-Denis", "93216 Saint-Denis", "FR",
                    Cat("Catégorie 1", 120m, 0), Cat("Catégorie 2", 75m, 0), Cat("Catégorie 3", 35m, 0)),
            ],
        }, true);
    }

    private static IEnumerable<Event> Build(Func<int, int, int, DateTimeOffset> at)
    {
        DateTimeOffset A(int d, int h, int m = 0) => at(d, h, m);

        // The stadium tour: 9 cities in France and Europe, 3 categories, ~47,000 seats a night.
        var tour = new (string Venue, string City, string Address, string Country, int Day)[]
        {
            ("Stade de France", "Paris", "93200 Saint-Denis", "FR", 45),
            ("Groupama Stadium", "Lyon", "10 avenue Simone Veil, 69150 Décines-Charpieu", "FR", 49),
            ("Orange Vélodrome", "Marseille", "3 boulevard Michelet, 13008 Marseille", "FR", 52),
            ("Matmut Atlantique", "Bordeaux", "Cours Jules Ladoumègue, 33300 Bordeaux", "FR", 56),
            ("Stade Pierre-Mauroy", "Lille", "261 boulevard de Tournai, 59650 Villeneuve-d'Ascq", "FR", 59),
            ("Stade Roi Baudouin", "Bruxelles", "Avenue du Marathon 135, 1020 Bruxelles", "BE", 63),
            ("Stade de Genève", "Genève", "Route des Jeunes 16, 1227 Genève", "CH", 66),
            ("Johan Cruijff ArenA", "Amsterdam", "ArenA Boulevard 1, 1101 AX Amsterdam", "NL", 70),
            ("Estadi Olímpic Lluís Companys", "Barcelona", "Passeig Olímpic 15-17, 08038 Barcelona", "ES", 74),
        };
        yield return new Event
        {
            Title = "Aurora — World Tour 2027", Artist = "Aurora", Category = EventCategory.Concert, IsFeatured = true,
            ImageUrl = "/img/events/stadium-tour.svg", MaxTicketsPerOrder = 8,
            Description = "Aurora takes her new album to the biggest stadiums of Europe: a two-hour show with a 360° stage, "
                          + "a string orchestra and the hits fans have sung all summer. Doors open at 6 pm; first act at 7 pm.",
            DescriptionFr = "Aurora emmène son nouvel album dans les plus grands stades d'Europe : deux heures de show sur une scène à 360°, "
                            + "un orchestre à cordes et les tubes que le public a chantés tout l'été. Ouverture des portes à 18 h, première partie à 19 h.",
            Performances = tour.Select((t, i) => Perf(A(t.Day, 18, 30), t.Venue, t.City, t.Address, t.Country,
                Cat("Carré Or", 159m, 2_000, i == 0 ? 1_960 : 1_200),
                Cat("Cat 1", 89m, 20_000, i == 0 ? 19_400 : 9_000 - i * 500),
                Cat("Fosse", 65m, 25_000, i == 0 ? 25_000 : 12_000 - i * 700))).ToList(),
        };

        yield return new Event
        {
            Title = "Midnight Echoes — Live in Club", Artist = "Midnight Echoes", Category = EventCategory.Concert,
            ImageUrl = "/img/events/club-concert.svg", MaxTicketsPerOrder = 6,
            Description = "The synth-pop trio plays its first club show in three years: a sweaty, neon-lit night with new songs and old favourites.",
            DescriptionFr = "Le trio synth-pop revient en club pour la première fois depuis trois ans : une soirée moite et fluo, nouveaux titres et classiques.",
            Performances =
            [
                Perf(A(3, 19, 0), "Le Transbordeur", "Lyon", "3 boulevard de Stalingrad, 69100 Villeurbanne", "FR",
                    Cat("Fosse", 28m, 600, 540), Cat("Balcon assis", 38m, 200, 120)),
            ],
        };

        yield return new Event
        {
            Title = "Solstice Festival", Artist = "40 artists · 3 stages", Category = EventCategory.Festival, IsFeatured = true,
            ImageUrl = "/img/events/festival.svg", MaxTicketsPerOrder = 10,
            Description = "Three days of electro, pop and hip-hop under the plane trees of the Roman arena: 40 artists on 3 stages, food trucks and a chill-out garden.",
            DescriptionFr = "Trois jours d'électro, de pop et de hip-hop sous les platanes des arènes : 40 artistes sur 3 scènes, food trucks et jardin chill-out.",
            Performances = Enumerable.Range(0, 3).Select(d => Perf(A(33 + d, 14, 0), "Arènes de Nîmes", "Nîmes",
                "Boulevard des Arènes, 30000 Nîmes", "FR", Cat("Pass 1 jour", 59m, 12_000, 4_000 + d * 1_500), Cat("Pass VIP", 129m, 800, 300))).ToList(),
        };

        yield return new Event
        {
            Title = "Spring Gala — Lycée Victor-Hugo", Artist = "Élèves du lycée Victor-Hugo", Category = EventCategory.Show,
            ImageUrl = "/img/events/school-gala.svg", MaxTicketsPerOrder = 6,
            Description = "Students of the Victor-Hugo high school present their end-of-year gala: choir, dance, theatre and the school band. Proceeds fund the spring trip.",
            DescriptionFr = "Les élèves du lycée Victor-Hugo présentent leur gala de fin d'année : chorale, danse, théâtre et l'orchestre du lycée. Les recettes financent le voyage de printemps.",
            Performances =
            [
                Perf(A(12, 18, 0), "Salle des fêtes du lycée Victor-Hugo", "Besançon", "1 place Jean-Cornet, 25000 Besançon", "FR",
                    Cat("Placement libre", 8m, 200, 64)),
            ],
        };

        yield return new Event
        {
            Title = "Le Misanthrope", Artist = "Molière · Compagnie du Panache", Category = EventCategory.Theatre, IsFeatured = true,
            ImageUrl = "/img/events/theatre.svg", MaxTicketsPerOrder = 8,
            Description = "Molière's comedy in five acts, in a bold new staging: Alceste hates the hypocrisy of the salons, yet loves the most brilliant flirt in Paris.",
            DescriptionFr = "La comédie en cinq actes de Molière dans une mise en scène audacieuse : Alceste déteste l'hypocrisie des salons, mais aime la plus brillante coquette de Paris.",
            Performances = new[] { 2, 4, 9, 16 }.Select(d => Perf(A(d, 19, 0), "Théâtre de la Porte Saint-Martin", "Paris",
                "18 boulevard Saint-Martin, 75010 Paris", "FR",
                Cat("Catégorie 1", 62m, 400, d == 2 ? 392 : 150), Cat("Catégorie 2", 42m, 500, d == 2 ? 500 : 200),
                Cat("Catégorie 3", 24m, 150, d == 2 ? 146 : 40))).ToList(),
        };

        yield return new Event
        {
            Title = "Stand-up Night: Inès Bouchard", Artist = "Inès Bouchard", Category = EventCategory.Comedy,
            ImageUrl = "/img/events/comedy.svg", MaxTicketsPerOrder = 10,
            Description = "After a sold-out run in Paris, the stand-up comedian takes her new show on the road: family, the office and the joys of city life.",
            DescriptionFr = "Après une série complète à Paris, l'humoriste part en tournée avec son nouveau spectacle : la famille, le bureau et les joies de la vie en ville.",
            Performances =
            [
                Perf(A(5, 19, 0), "Le Bikini", "Toulouse", "Rue Théodore Monod, 31520 Ramonville-Saint-Agne", "FR", Cat("Placement libre", 35m, 1_200, 700)),
                Perf(A(19, 19, 0), "Cité des Congrès", "Nantes", "5 rue de Valmy, 44000 Nantes", "FR", Cat("Placement libre", 35m, 2_000, 400)),
                Perf(A(26, 19, 0), "L'Olympia", "Paris", "28 boulevard des Capucines, 75009 Paris", "FR",
                    Cat("Orchestre", 49m, 1_200, 600), Cat("Balcon", 39m, 800, 200)),
            ],
        };

        yield return new Event
        {
            Title = "Basket Finals — Finale du championnat de France", Category = EventCategory.Sport,
            ImageUrl = "/img/events/sport.svg", MaxTicketsPerOrder = 10,
            Description = "The two best teams of the season meet for the title: one night, one trophy, 15,000 fans.",
            DescriptionFr = "Les deux meilleures équipes de la saison se disputent le titre : un soir, un trophée, 15 000 supporters.",
            Performances =
            [
                Perf(A(40, 18, 30), "Accor Arena", "Paris", "8 boulevard de Bercy, 75012 Paris", "FR",
                    Cat("Catégorie 1", 95m, 3_000, 2_100), Cat("Catégorie 2", 55m, 6_000, 3_000), Cat("Catégorie 3", 25m, 6_000, 2_000)),
            ],
        };

        yield return new Event
        {
            Title = "Circus of Wonders", Artist = "Le Cirque des Merveilles", Category = EventCategory.Family,
            ImageUrl = "/img/events/family.svg", MaxTicketsPerOrder = 10,
            Description = "Acrobats, jugglers and clowns under the big top: 90 minutes of wonder for children from 3 years old.",
            DescriptionFr = "Acrobates, jongleurs et clowns sous le chapiteau : 90 minutes d'émerveillement pour les enfants dès 3 ans.",
            Performances =
            [
                Perf(A(8, 13, 0), "Chapiteau du Parc des Chantiers", "Nantes", "Parc des Chantiers, 44200 Nantes", "FR",
                    Cat("Adulte", 32m, 900, 300), Cat("Enfant (3-12 ans)", 18m, 600, 250)),
                Perf(A(15, 13, 0), "Le Liberté", "Rennes", "1 esplanade Charles de Gaulle, 35000 Rennes", "FR",
                    Cat("Adulte", 32m, 900, 100), Cat("Enfant (3-12 ans)", 18m, 600, 80)),
                Perf(A(22, 13, 0), "Zénith de Lille", "Lille", "1 boulevard des Cités Unies, 59777 Lille", "FR",
                    Cat("Adulte", 32m, 1_500, 80), Cat("Enfant (3-12 ans)", 18m, 1_000, 60)),
            ],
        };
    }
}
