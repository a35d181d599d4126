// The UI's markup, built into a fresh element, and its stylesheet. Ids carry a
// per-instance prefix so several clients can live on one page; the code finds
// elements by data-ref. Every control has a visible label or an aria-label.
import { icon } from './icons.js';

let instances = 0;

function barButton(ref, iconHtml, label, extra = '', cls = '') {
    return `<button type="button" class="nvp-btn ${cls}" data-ref="${ref}" aria-label="${label}" title="${label}" ${extra}>${iconHtml}</button>`;
}

function options(pairs) {
    return pairs.map(([value, text]) => `<option value="${value}">${text}</option>`).join('');
}

function digits(low, high) {
    return Array.from({ length: 10 }, (_, i) => [i, i === 0 ? `0 (${low})` : i === 9 ? `9 (${high})` : String(i)]);
}

function markup(id) {
    const panelButton = (name, iconName, label, extraClass = '') =>
        `<button type="button" class="nvp-btn ${extraClass}" data-panel="${name}" aria-expanded="false" ` +
        `aria-controls="${id}-${name}" aria-label="${label}" title="${label}">${icon(iconName)}</button>`;
    const check = (name, text) =>
        `<label class="nvp-check"><input type="checkbox" name="${name}"><span>${text}</span></label>`;
    const select = (name, text, opts) =>
        `<div class="nvp-field"><label for="${id}-${name}">${text}</label>` +
        `<select id="${id}-${name}" name="${name}">${options(opts)}</select></div>`;
    const key = (k, text, label, toggle) =>
        `<button type="button" class="nvp-key" data-key="${k}"${label ? ` aria-label="${label}"` : ''}` +
        `${toggle ? ' aria-pressed="false"' : ''}>${text}</button>`;
    return `
<div class="nvp-screen" data-ref="screen"></div>
<div class="nvp-sr" role="status" aria-live="polite" data-ref="announce"></div>
<div class="nvp-bar" data-ref="bar" role="group" aria-label="Remote desktop controls">
  <div class="nvp-bar-title">
    <span class="nvp-indicator" aria-hidden="true"></span>
    <span class="nvp-lock" data-ref="lock" title="Encrypted" hidden>${icon('lock')}</span>
    <span class="nvp-bar-status" data-ref="barStatus">Not connected</span>
  </div>
  <div class="nvp-bar-actions">
    ${panelButton('keys', 'keys', 'Extra keys', 'nvp-when-connected nvp-input')}
    ${panelButton('clipboard', 'clipboard', 'Clipboard', 'nvp-when-connected')}
    ${barButton('oskButton', icon('keyboard'), 'Show the on-screen keyboard', 'hidden', 'nvp-when-connected')}
    ${barButton('panButton', icon('pan'), 'Drag to pan', 'aria-pressed="false" hidden', 'nvp-when-connected')}
    ${barButton('fullscreenButton', icon('fullscreen', 'nvp-off') + icon('exitFullscreen', 'nvp-on'), 'Full screen', 'aria-pressed="false"')}
    ${barButton('logoutButton', icon('logout'), 'Log out', 'hidden')}
    ${panelButton('settings', 'settings', 'Settings')}
    ${barButton('disconnectButton', icon('power'), 'Disconnect', '', 'nvp-when-connected')}
  </div>
</div>
<button type="button" class="nvp-handle" data-ref="handle" aria-expanded="true"
  aria-label="Hide the controls" title="Controls (F8)">${icon('chevron')}</button>

<section class="nvp-panel" id="${id}-keys" data-panel-id="keys" aria-label="Extra keys" hidden>
  <h2 class="nvp-panel-title">Extra keys</h2>
  <div class="nvp-keys">
    ${key('ctrl', 'Ctrl', 'Control', true)}${key('alt', 'Alt', '', true)}${key('win', 'Win', 'Windows key', true)}
    ${key('tab', 'Tab')}${key('esc', 'Esc', 'Escape')}${key('f8', 'F8', 'Send F8')}${key('cad', 'Ctrl-Alt-Del', 'Send Control-Alt-Delete')}
  </div>
  <p class="nvp-hint">Ctrl, Alt and Win stay held until you press them again. F8 on the keyboard shows and hides these controls; this button sends it to the desktop.</p>
</section>

<section class="nvp-panel" id="${id}-clipboard" data-panel-id="clipboard" aria-label="Clipboard" hidden>
  <h2 class="nvp-panel-title"><label for="${id}-clip">Clipboard</label></h2>
  <textarea id="${id}-clip" data-ref="clipText" rows="5" spellcheck="false"
    aria-describedby="${id}-cliphint"></textarea>
  <div class="nvp-row">
    <button type="button" class="nvp-text-btn" data-ref="clipClear">Clear</button>
    <button type="button" class="nvp-text-btn nvp-primary" data-ref="clipSend">Send to remote</button>
  </div>
  <p class="nvp-hint" id="${id}-cliphint" data-ref="clipHint">Text copied on the remote desktop appears here; text you put here is pasted there.</p>
</section>

<section class="nvp-panel" id="${id}-settings" data-panel-id="settings" aria-label="Settings" hidden>
  <h2 class="nvp-panel-title">Settings</h2>
  <form data-ref="settingsForm" class="nvp-settings">
    ${select('resize', 'Scaling', [['off', 'Off (1:1, scroll or pan)'], ['scale', 'Scale to fit the window'], ['remote', 'Resize the remote desktop']])}
    ${select('quality', 'Picture quality', [['-1', 'Lossless'], ...digits('smallest', 'best').reverse()])}
    ${select('compression', 'Compression', digits('fastest', 'smallest'))}
    ${check('view_only', 'View only (send no keyboard or mouse input)')}
    ${check('shared', 'Share the desktop with other viewers (next connection)')}
    ${check('dot_cursor', 'Show a dot when the remote cursor is invisible')}
    ${check('reconnect', 'Reconnect automatically')}
    <div class="nvp-field nvp-indent"><label for="${id}-delay">First retry after (seconds)</label>
      <input id="${id}-delay" name="reconnect_delay" type="number" min="0.1" max="600" step="0.1" inputmode="decimal"></div>
    ${select('logging', 'Logging (browser console)', [['none', 'None'], ['error', 'Errors'], ['warn', 'Warnings'], ['info', 'Info'], ['debug', 'Debug']])}
    <div class="nvp-row"><button type="button" class="nvp-text-btn" data-ref="resetSettings">Reset to defaults</button></div>
  </form>
</section>

<div class="nvp-overlay" data-ref="overlay">
  <div class="nvp-card" role="dialog" aria-labelledby="${id}-title" aria-describedby="${id}-status">
    <div class="nvp-card-head">
      <span class="nvp-card-logo">${icon('monitor')}</span>
      <h1 class="nvp-card-title" id="${id}-title" data-ref="cardTitle">Remote desktop</h1>
    </div>
    <p class="nvp-status" id="${id}-status"><span class="nvp-spinner" aria-hidden="true"></span><span data-ref="status">Not connected</span></p>
    <form data-ref="connectForm" class="nvp-connect" novalidate>
      <div class="nvp-grid">
        <div class="nvp-field nvp-host"><label for="${id}-host">Host</label>
          <input id="${id}-host" name="host" autocomplete="off" autocapitalize="off" spellcheck="false" placeholder="localhost"></div>
        <div class="nvp-field nvp-port"><label for="${id}-port">Port</label>
          <input id="${id}-port" name="port" inputmode="numeric" autocomplete="off" maxlength="5"></div>
        <div class="nvp-field nvp-path"><label for="${id}-path">Path</label>
          <input id="${id}-path" name="path" autocomplete="off" autocapitalize="off" spellcheck="false" placeholder="websockify"></div>
        ${check('encrypt', 'Encrypt (wss)')}
      </div>
      <div class="nvp-actions">
        <button type="submit" class="nvp-text-btn nvp-primary nvp-wide" data-ref="connectButton">Connect</button>
      </div>
    </form>
    <form data-ref="passwordForm" class="nvp-password" hidden>
      <div class="nvp-field"><label for="${id}-password">Password</label>
        <input id="${id}-password" data-ref="password" type="password" autocomplete="current-password"></div>
      <div class="nvp-actions">
        <button type="button" class="nvp-text-btn" data-ref="passwordCancel">Cancel</button>
        <button type="submit" class="nvp-text-btn nvp-primary">Send</button>
      </div>
    </form>
    <form data-ref="loginForm" class="nvp-login" method="post" hidden>
      <div class="nvp-field"><label for="${id}-login-user">User name</label>
        <input id="${id}-login-user" data-ref="loginUser" name="username" autocomplete="username" autocapitalize="off" spellcheck="false"></div>
      <div class="nvp-field"><label for="${id}-login-password">Password</label>
        <input id="${id}-login-password" data-ref="loginPassword" name="password" type="password" autocomplete="current-password"></div>
      <p class="nvp-login-message" data-ref="loginMessage" role="alert" hidden></p>
      <div class="nvp-actions">
        <button type="button" class="nvp-text-btn" data-ref="loginCancel">Cancel</button>
        <button type="submit" class="nvp-text-btn nvp-primary" data-ref="loginSubmit">Log in</button>
      </div>
    </form>
    <form data-ref="confirmForm" class="nvp-confirm" hidden>
      <div class="nvp-actions">
        <button type="button" class="nvp-text-btn" data-ref="confirmCancel">Cancel</button>
        <button type="submit" class="nvp-text-btn nvp-primary">Connect</button>
      </div>
    </form>
  </div>
</div>
<textarea class="nvp-osk" data-ref="osk" aria-label="On-screen keyboard input" tabindex="-1"
  autocomplete="off" autocorrect="off" autocapitalize="off" spellcheck="false"></textarea>`;
}

const STYLESHEET = new URL('./styles/ui.css', import.meta.url).href;

/** Links the UI's stylesheet (ui.css, or href; none when href is false) into doc once. */
export function ensureStylesheet(doc, href) {
    if (href === false) {
        return;
    }
    const url = new URL(href ?? STYLESHEET, doc.baseURI).href;
    if (![...doc.querySelectorAll('link[rel~="stylesheet"]')].some((l) => l.href === url)) {
        const link = doc.createElement('link');
        link.rel = 'stylesheet';
        link.href = url;
        doc.head.appendChild(link);
    }
}

/** Fills root with the UI and returns {root, refs, panels, panelButtons}. */
export function buildUI(root) {
    const id = `nvp${++instances}`;
    root.classList.add('nvp-app');
    root.innerHTML = markup(id);
    const refs = {};
    for (const el of root.querySelectorAll('[data-ref]')) {
        refs[el.dataset.ref] = el;
    }
    const panels = {};
    for (const el of root.querySelectorAll('[data-panel-id]')) {
        panels[el.dataset.panelId] = el;
    }
    const panelButtons = {};
    for (const el of root.querySelectorAll('[data-panel]')) {
        panelButtons[el.dataset.panel] = el;
    }
    return { root, refs, panels, panelButtons };
}
