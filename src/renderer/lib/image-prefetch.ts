/**
 * Keeps the next few display images downloaded and decoded, so that after
 * Enter the next image is drawn from memory instead of waiting for the server
 * to resize it (the annotation tool's 100 ms budget).
 */
export class ImagePrefetcher {
  /** Insertion order is LRU order. Holding the element keeps its decoded bitmap in Chromium's memory cache. */
  private readonly entries = new Map<string, { image: HTMLImageElement; ready: Promise<boolean> }>();

  constructor(private readonly capacity = 12) {}

  /** Starts loading and decoding `url` (idempotent); resolves true when it can be drawn without waiting. */
  load(url: string): Promise<boolean> {
    const cached = this.entries.get(url);
    if (cached) {
      this.entries.delete(url);
      this.entries.set(url, cached);
      return cached.ready;
    }
    const image = new Image();
    image.decoding = 'async';
    image.src = url;
    // A failed prefetch is not an error yet: the viewport reports it if the user actually reaches that image.
    const ready = image.decode().then(
      () => true,
      () => {
        this.entries.delete(url);
        return false;
      },
    );
    this.entries.set(url, { image, ready });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return ready;
  }
}
