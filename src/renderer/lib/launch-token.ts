/**
 * The web mode's token (see request-guard.ts on the server for the whole
 * scheme). `farpoint serve` prints a URL with `?token=`; the page keeps the
 * token in sessionStorage, which only this origin (host and port) and this
 * tab can read, so a reload keeps working and no other local server ever
 * receives it. The URL's token always replaces what the tab stored (a
 * restarted server or another project on the same port has a new one), and
 * it is taken out of the address bar so it stays out of the history.
 */
const STORAGE_KEY = 'farpoint.token';

export function takeLaunchToken(win: Pick<Window, 'location' | 'history' | 'sessionStorage'> = window): string | null {
  const url = new URL(win.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null) {
    url.searchParams.delete('token');
    win.history.replaceState(win.history.state, '', url.pathname + url.search + url.hash);
    if (fromUrl !== '') {
      win.sessionStorage.setItem(STORAGE_KEY, fromUrl);
      return fromUrl;
    }
  }
  return win.sessionStorage.getItem(STORAGE_KEY);
}
