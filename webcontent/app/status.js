// The words of the status line, one function of the client's situation so
// the page, the screen reader announcement and the tests agree.

/**
 * @param {string} kind idle | connecting | password | authenticating | connected |
 *   disconnected | securityfailure | waiting | login | refused | loggedout | logoutfailed
 * @param {object} d url, name, encrypted, reason, seconds, attempt
 */
export function statusText(kind, d = {}) {
    switch (kind) {
    case 'connecting':
        return `Connecting to ${d.url}…`;
    case 'password':
        return 'The server asks for a password';
    case 'authenticating':
        return 'Checking the password…';
    case 'connected':
        return `Connected to “${d.name ?? ''}”${d.encrypted ? ' (encrypted)' : ''}`;
    case 'disconnected':
        return !d.reason || d.reason === 'Disconnected' ? 'Disconnected' : `Disconnected: ${d.reason}`;
    case 'securityfailure':
        return `Security failure: ${d.reason || 'the server refused the connection'}`;
    case 'waiting':
        return `${d.reason ? `${d.reason.replace(/\.$/, '')}. ` : ''}Reconnecting in ${d.seconds} s (attempt ${d.attempt})…`;
    case 'login':
        return d.reason || 'Log in to use this proxy.';
    case 'refused':
        return `Refused by the proxy: ${d.reason || 'no reason given.'}`;
    case 'loggedout':
        return 'Logged out';
    case 'logoutfailed':
        return `Could not log out: ${d.reason}`;
    default:
        return 'Not connected';
    }
}

/** The bar's words: the desktop's name while connected, else a short word while the dialog tells the whole story. */
export function barStatusText(state, name) {
    const words = {
        connected: name || 'Connected', connecting: 'Connecting…', password: 'Password required', waiting: 'Reconnecting…',
        confirm: 'Confirm the server', login: 'Log in required',
    };
    return words[state] ?? 'Not connected';
}

/** The page title: the desktop's name while connected, the page's own title otherwise. */
export function pageTitle(baseTitle, state, name) {
    if (state === 'connected' && name) {
        return name;
    }
    if (state === 'connecting' || state === 'password') {
        return `Connecting… – ${baseTitle}`;
    }
    return baseTitle;
}
