import type { WebContents } from 'electron';
import { isAppUrl } from './app-origin';
import { externalLinkTarget } from './external-links';

/** What to do with a navigation or window.open the page asked for. */
export interface NavigationDecision {
  allow: boolean;
  /** A checked http(s) URL to open in the system browser instead, or null. */
  openExternally: string | null;
}

/** A frame may only ever show the app; an http(s) link goes to the system browser instead. */
export function decideNavigation(url: string): NavigationDecision {
  if (isAppUrl(url)) return { allow: true, openExternally: null };
  return { allow: false, openExternally: externalLinkTarget(url) };
}

/**
 * The app is one window: window.open never creates another (not even of the
 * app itself, which would escape the guards set on this one); a link with
 * target=_blank to an http(s) site opens in the system browser.
 */
export function decideWindowOpen(url: string): NavigationDecision {
  return { allow: false, openExternally: isAppUrl(url) ? null : externalLinkTarget(url) };
}

/** Redirects are never user actions: only redirects within the app are followed, and nothing is opened. */
export function decideRedirect(url: string): NavigationDecision {
  return { allow: isAppUrl(url), openExternally: null };
}

export type OpenExternal = (url: string) => Promise<void> | void;

/** The parts of a WebContents the guards use (so they can be exercised without an Electron binary). */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Installs the navigation and window-open guards on a WebContents. Only
 * user-initiated main-frame navigations (`will-navigate`) may open the
 * system browser; sub-frame navigations and redirects are just refused, so a
 * page cannot make the app open browser tabs on its own.
 */
export function guardNavigation(contents: GuardedContents, openExternal: OpenExternal): void {
  const hand = (decision: NavigationDecision) => {
    if (decision.openExternally) void Promise.resolve(openExternal(decision.openExternally)).catch(() => {});
  };
  contents.on('will-navigate', (event) => {
    const decision = decideNavigation(event.url);
    if (decision.allow) return;
    event.preventDefault();
    hand(decision);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!decideNavigation(event.url).allow) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!decideRedirect(event.url).allow) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler((details) => {
    hand(decideWindowOpen(details.url));
    return { action: 'deny' };
  });
}
