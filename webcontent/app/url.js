// WebSocket URLs and the page's own defaults, shared by vnc.html and
// vnc_auto.html. Pure functions: a location is any {protocol, hostname, port}.

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

/** ws:// or wss:// URL of host:port/path; an IPv6 literal gets its brackets. */
export function websocketUrl({ host, port, path, encrypt }) {
    let h = String(host ?? '');
    if (h.includes(':') && !h.startsWith('[')) {
        h = `[${h}]`;
    }
    const p = String(path ?? '').replace(/^\//, '');
    return `${encrypt ? 'wss' : 'ws'}://${h}:${port}/${p}`;
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
