// The login form of vnc.html, wstelnet.html and login.html: a user name and
// password posted to the relay's /login (proxyauth.js), the relay's reason
// shown in the form when it says no. The password goes from the field into
// the one request and nowhere else: the field is emptied as it is read, and
// nothing is written to storage, a cookie or the address.
//
// LoginFlow is the form's state machine, free of the DOM:
//
//   closed --open()--> open --submit()--> sending --ok--> closed (onlogin)
//                       ^                    |
//                       +-- refused: reason -+         close() from any state
import { ProxyAuth, relayEndpoints } from './proxyauth.js';

/** Shown when the form is sent without a user name. */
export const NO_USER_NAME = 'Enter your user name.';

export class LoginFlow {
    /**
     * @param {{login: Function}} auth a ProxyAuth (or a fake)
     * @param {object} callbacks onchange(flow) after every change of state or message,
     *   onlogin(user) once the relay took the user name and password
     */
    constructor(auth, { onchange = () => {}, onlogin = () => {} } = {}) {
        this._auth = auth;
        this._onchange = onchange;
        this._onlogin = onlogin;
        this._url = null;
        this._round = 0;   // an answer counts only for the round it was asked in
        this.state = 'closed';
        this.message = '';
    }

    /** Shows the form, empty of any earlier message unless one is given; logins go to url. */
    open(url, message = '') {
        this._url = url;
        this._round++;
        this._set('open', message);
    }

    /** Puts the form away; the answer to a login still on its way is ignored. */
    close() {
        this._round++;
        this._set('closed', '');
    }

    /** Sends the form; resolves true when the relay logged the user in. */
    async submit(username, password) {
        if (this.state !== 'open') {
            return false;
        }
        if (!username) {
            this._set('open', NO_USER_NAME);
            return false;
        }
        const round = ++this._round;
        this._set('sending', '');
        const result = await this._auth.login(this._url, username, password);
        if (round !== this._round) {
            return false;
        }
        if (!result.ok) {
            this._set('open', result.reason);
            return false;
        }
        this._set('closed', '');
        this._onlogin(result.user);
        return true;
    }

    _set(state, message) {
        this.state = state;
        this.message = message;
        this._onchange(this);
    }
}

/**
 * A LoginFlow shown in a page's form. els: form, username, password, message
 * (where the relay's reason goes), submit, and cancel (optional) whose click
 * calls oncancel.
 */
export class LoginPanel {
    constructor(els, { auth, onlogin = () => {}, oncancel = () => {} }) {
        this._els = els;
        this.flow = new LoginFlow(auth, { onchange: () => this._render(), onlogin });
        els.form.addEventListener('submit', (e) => {
            e.preventDefault();
            const password = els.password.value;
            els.password.value = '';
            this.flow.submit(els.username.value.trim(), password);
        });
        els.cancel?.addEventListener('click', () => oncancel());
        this._render();
    }

    get state() {
        return this.flow.state;
    }

    /** Shows the form for logins at url, the focus in the first field to fill. */
    open(url, message = '') {
        this.flow.open(url, message);
        this._focusField();
    }

    close() {
        if (this.flow.state !== 'closed') {
            this.flow.close();
        }
    }

    _render() {
        const { form, message, submit } = this._els;
        const { state } = this.flow;
        form.hidden = state === 'closed';
        form.setAttribute('aria-busy', String(state === 'sending'));
        submit.disabled = state === 'sending';
        message.textContent = this.flow.message;
        message.hidden = this.flow.message === '';
        if (state === 'open' && this.flow.message) {
            this._focusField();   // after a refusal: type the password again
        }
    }

    _focusField() {
        const { username, password } = this._els;
        (username.value.trim() ? password : username).focus();
    }
}

/**
 * A page's side of the relay's login, for the relay behind a WebSocket URL:
 * its verdict on a connection that ended before the session began, the login
 * form when it wants a user name and password, and a Log out button while it
 * names a user. els: the LoginPanel's elements and logout (the button).
 */
export class RelayLogin {
    constructor(els, { auth = new ProxyAuth(), onlogin, oncancel, onlogout }) {
        this.auth = auth;
        this.panel = new LoginPanel(els, { auth, onlogin, oncancel });
        bindLogout(els.logout, auth, onlogout);
    }

    /** The relay's verdict (proxyauth.js verdictOf) on a connection to wsUrl; also learns the user name. */
    explain(wsUrl) {
        return this.auth.check(relayEndpoints(wsUrl)?.check);
    }

    /** Shows the login form for the relay of wsUrl. */
    ask(wsUrl, message = '') {
        this.panel.open(relayEndpoints(wsUrl)?.login, message);
    }

    close() {
        this.panel.close();
    }

    /** Ends the session at the relay of wsUrl: {ok} or {ok: false, reason}. */
    logout(wsUrl) {
        return this.auth.logout(relayEndpoints(wsUrl)?.logout);
    }
}

/** Shows button while the relay names a logged-in user (its title names the user); a click calls onclick. */
export function bindLogout(button, auth, onclick) {
    const show = (user) => {
        button.hidden = !user;
        button.title = user ? `Log out ${user}` : 'Log out';
    };
    auth.onuser = show;
    show(auth.user);
    button.addEventListener('click', () => onclick());
}

/**
 * Where login.html goes after a login: next when it names a page of the same
 * origin by a relative path ("vnc.html?autoconnect=true", "/novnc/vnc.html"),
 * else fallback. Absolute URLs, "//host", "javascript:" and anything a
 * browser would read differently than written (back slashes, control
 * characters, surrounding blanks) are refused.
 */
export function nextPage(next, pageHref, fallback = 'vnc.html') {
    const page = new URL(pageHref);
    const home = new URL(fallback, page).href;
    const text = typeof next === 'string' ? next : '';
    // eslint-disable-next-line no-control-regex
    const unclear = /[\u0000-\u001f\u007f\\]/.test(text) || text !== text.trim();
    const absolute = /^[a-z][a-z\d+.-]*:/i.test(text) || text.startsWith('//');
    if (text === '' || unclear || absolute) {
        return home;
    }
    let url;
    try {
        url = new URL(text, page);
    } catch {
        return home;
    }
    return url.origin === page.origin ? url.href : home;
}
