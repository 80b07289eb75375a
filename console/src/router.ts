/** Hash routes (`#/exchanges/<id>?live=1`): the gateway serves one page, and a link can be bookmarked or shared. */
import { useEffect, useState } from 'react';

export interface Route {
  /** The path's segments: `#/exchanges/abc` is `['exchanges', 'abc']`. */
  segments: string[];
  query: URLSearchParams;
}

function current(): Route {
  const [path = '', search = ''] = window.location.hash.replace(/^#/, '').split('?');
  return { segments: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(search) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const onChange = () => setRoute(current());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** The href of a route: `href('exchanges', id)`. */
export function href(...segments: string[]): string {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}

export function navigate(to: string): void {
  window.location.hash = to.replace(/^#/, '');
}
