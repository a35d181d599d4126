// WebSocket URLs and the page's own defaults, shared by vnc.html,
// vnc_auto.html and wstelnet.html. Pure functions: a location is any {protocol, hostname, port}.

/** True for strings the query string uses for "on". */
export function isTrue(value) {
    return /^(1|true|yes|on)$/i.test(String(value));
}

/** True for strings the query string uses for "off". */
export function isFalse(value) {
    return /^(0|false|no|off)$/i.test(String(value));
}

/** The page's own port, or the scheme's default one. */
export function defaultPort(location) {
    return location.port || (location.protocol === 'https:' ? '443' : '80');
}

/** host:port; an IPv6 literal gets its brackets. */
export function hostPort(host, port) {
    const h = String(host ?? '');
    return `${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port}`;
}

/** ws:// or wss:// URL of host:port/path. */
export function websocketUrl({ host, port, path, encrypt }) {
    const p = String(path ?? '').replace(/^\//, '');
    return `${encrypt ? 'wss' : 'ws'}://${hostPort(host, port)}/${p}`;
}

/**
 * Query string and fragment of a page as one URLSearchParams; the fragment
 * wins (it keeps a password out of server logs).
 */
export function pageParams(search = '', hash = '') {
    const params = new URLSearchParams(search);
    for (const [key, value] of new URLSearchParams(String(hash).replace(/^#/, ''))) {
        params.set(key, value);
    }
    return params;
}
