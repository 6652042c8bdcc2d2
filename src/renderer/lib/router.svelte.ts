/**
 * Which view is shown, kept in the URL hash (`#/annotate/42`) so reloading the
 * page, the browser's back button and links from other views all work the same.
 */
export interface Route {
  view: string;
  /** The sample a view is focused on (the annotation tool's current image). */
  sampleId: number | null;
}

export function parseHash(hash: string): Route {
  const [view = '', id] = hash.replace(/^#\/?/, '').split('/');
  const sampleId = id !== undefined && /^\d{1,15}$/.test(id) ? Number(id) : null;
  return { view, sampleId };
}

export function hashOf(route: Route): string {
  return `#/${route.view}${route.sampleId !== null ? `/${route.sampleId}` : ''}`;
}

export class Router {
  route = $state<Route>(parseHash(typeof location === 'undefined' ? '' : location.hash));

  /** Follows the hash; returns the unsubscribe function. */
  listen(): () => void {
    const onHash = () => (this.route = parseHash(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }

  go(view: string, sampleId: number | null = null): void {
    const next = { view, sampleId };
    this.route = next;
    const hash = hashOf(next);
    // replaceState for in-view moves (next sample) keeps Back meaning "previous view", not "previous image".
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  /**
   * A move inside the view on screen (the annotation tool's next sample). It
   * does nothing once the user has left that view: an answer that arrives
   * after Back must not pull them back into the view they left.
   */
  moveWithin(view: string, sampleId: number | null): void {
    if (this.route.view !== view) return;
    this.go(view, sampleId);
  }

  /** Navigation between views adds a history entry. */
  open(view: string, sampleId: number | null = null): void {
    const next = { view, sampleId };
    this.route = next;
    const hash = hashOf(next);
    if (location.hash !== hash) history.pushState(null, '', hash);
  }
}
