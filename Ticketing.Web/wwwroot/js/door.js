// Optional camera scanning at the door, with the browser's own BarcodeDetector (no library, no download).
window.ticketingDoor = (() => {
  let stream = null, timer = null;
  return {
    cameraSupported: () => 'BarcodeDetector' in window && !!navigator.mediaDevices?.getUserMedia,
    async start(videoId, dotnet) {
      try {
        const detector = new BarcodeDetector({ formats: ['qr_code'] });
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
        const video = document.getElementById(videoId);
        video.srcObject = stream;
        await video.play();
        let last = '', lastAt = 0;
        timer = setInterval(async () => {
          const codes = await detector.detect(video).catch(() => []);
          const value = codes[0]?.rawValue;
          if (value && (value !== last || Date.now() - lastAt > 3000)) {
            last = value; lastAt = Date.now();
            await dotnet.invokeMethodAsync('OnCameraCode', value);
          }
        }, 300);
        return true;
      } catch (e) {
        console.warn('camera unavailable', e);
        return false;
      }
    },
    stop() {
      clearInterval(timer); timer = null;
      stream?.getTracks().forEach(t => t.stop()); stream = null;
    },
  };
})();
