// Defences of vnc.html, vnc_auto.html and wstelnet.html against crafted links.
// A link can name any host (?host=evil.example&autoconnect=true), so a host
// taken from the address that is neither the page's own nor one the
// administrator trusts is connected to only after the user clicks Connect.
// A password (or user name) in the address is read into memory and removed
// from the address bar at once, so it is not left on screen, in the history
// or in a bookmark.
import { pageParams, hostPort } from './url.js';
import { Log } from '../core/log.js';

/** Parameters taken out of the address as soon as a page has read them. */
export const SECRET_PARAMS = ['password', 'username'];

/** The page's <meta name="novnc-trusted-hosts" content="a.example, b.example">. */
export const TRUSTED_HOSTS_META = 'novnc-trusted-hosts';

/** A host name as compared: trimmed, lower case, an IPv6 literal without brackets. */
export function normalHost(host) {
    return String(host ?? '').trim().replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/** Host names from a list separated by commas or white space (or an array of them). */
export function parseHostList(list) {
    const text = Array.isArray(list) ? list.join(',') : String(list ?? '');
    return text.split(/[\s,]+/).map(normalHost).filter(Boolean);
}

/** The hosts the page's administrator trusts: every novnc-trusted-hosts meta element of doc. */
export function trustedHostsOf(doc) {
    const metas = doc?.querySelectorAll?.(`meta[name="${TRUSTED_HOSTS_META}"]`) ?? [];
    return [...metas].flatMap((meta) => parseHostList(meta.getAttribute('content')));
}

/**
 * True when a link may connect to host without asking: no host (the page's
 * own then), the page's own host name, or one of the trusted ones.
 */
export function isTrustedHost(host, pageHost, trusted = []) {
    const h = normalHost(host);
    return h === '' || h === normalHost(pageHost) || parseHostList(trusted).includes(h);
}

/** The question asked before connecting to a host that a link chose. */
export function foreignHostQuestion(host, port) {
    return `Connect to ${hostPort(normalHost(host), port)}? ` +
        'This link asks to connect to a server other than the one that served this page.';
}

/** The name of one name=value part of a query, decoded as URLSearchParams decodes it. */
function paramName(part) {
    return new URLSearchParams(part).keys().next().value;
}

/** A query or fragment (without its ? or #) without the secret parameters; the other parts are kept as written. */
function dropSecrets(text) {
    return text.split('&').filter((part) => !SECRET_PARAMS.includes(paramName(part))).join('&');
}

/**
 * Reads the secret parameters of an address (the fragment wins, as in
 * pageParams) and returns them with the address without them; href is null
 * when there were none.
 */
export function withoutSecrets(href) {
    const url = new URL(href);
    const params = pageParams(url.search, url.hash);
    const secrets = {};
    for (const name of SECRET_PARAMS.filter((n) => params.has(n))) {
        secrets[name] = params.get(name);
    }
    if (Object.keys(secrets).length === 0) {
        return { secrets, href: null };
    }
    url.search = dropSecrets(url.search.slice(1));
    url.hash = dropSecrets(url.hash.slice(1));
    return { secrets, href: url.href };
}

/**
 * Takes the secret parameters out of the window's address (history.replaceState:
 * no reload, no new history entry) and returns them. Call it before anything
 * else reads the address.
 */
export function takeSecrets(win) {
    const { secrets, href } = withoutSecrets(win.location.href);
    if (href !== null) {
        try {
            win.history.replaceState(win.history.state, '', href);
        } catch (e) {
            Log.warn('could not remove the password from the address:', e.message);
        }
    }
    return secrets;
}

/**
 * Shows the confirmation `form` (its submit button is Connect) with the
 * focus on `cancel`, and resolves true on Connect, false on Cancel; the form
 * is hidden again either way.
 */
export function askUser(form, cancel) {
    form.hidden = false;
    cancel.focus();
    return new Promise((resolve) => {
        const answered = new AbortController();
        const answer = (yes) => (e) => {
            e.preventDefault();
            answered.abort();
            form.hidden = true;
            resolve(yes);
        };
        form.addEventListener('submit', answer(true), { signal: answered.signal });
        cancel.addEventListener('click', answer(false), { signal: answered.signal });
    });
}
