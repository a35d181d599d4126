// The client's settings: what each one accepts, where its value comes from
// (query string > localStorage > the embedding page's defaults > built-in
// defaults, several of which come from the page's own location) and how the
// user's choices are remembered. Pure apart from the Storage it is handed.
import { isTrue, isFalse, defaultPort, websocketUrl } from './url.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'none'];
export const RESIZE_MODES = ['off', 'scale', 'remote'];
export const STORAGE_KEY = 'novnc-proxy.settings';

const MAX_RECONNECT_DELAY_MS = 600000;

const parsers = {
    string: (v) => String(v).trim(),
    port: (v) => {
        const s = String(v).trim();
        return /^\d{1,5}$/.test(s) && Number(s) >= 1 && Number(s) <= 65535 ? String(Number(s)) : undefined;
    },
    bool: (v) => (typeof v === 'boolean' ? v : isTrue(v) ? true : isFalse(v) ? false : undefined),
    level: (v) => {
        const s = String(v).trim();
        if (/^(lossless|-1)$/i.test(s)) {
            return -1;
        }
        return /^\d$/.test(s) ? Number(s) : undefined;
    },
    digit: (v) => (/^\d$/.test(String(v).trim()) ? Number(String(v).trim()) : undefined),
    delay: (v) => {
        const s = String(v).trim();
        return /^\d+$/.test(s) ? Math.min(MAX_RECONNECT_DELAY_MS, Math.max(100, Number(s))) : undefined;
    },
    oneOf: (list) => (v) => {
        const s = String(v).trim().toLowerCase();
        return list.includes(s) ? s : undefined;
    },
};

/**
 * Every setting by its query-string name: parse (undefined: not valid) and
 * the built-in default, a value or a function of the page's location.
 */
export const SETTINGS = {
    host: { parse: parsers.string, default: (loc) => loc.hostname ?? '' },
    port: { parse: parsers.port, default: (loc) => defaultPort(loc) },
    path: { parse: (v) => parsers.string(v).replace(/^\/+/, ''), default: 'websockify' },
    encrypt: { parse: parsers.bool, default: (loc) => loc.protocol === 'https:' },
    shared: { parse: parsers.bool, default: true },
    view_only: { parse: parsers.bool, default: false },
    resize: { parse: parsers.oneOf(RESIZE_MODES), default: 'off' },
    quality: { parse: parsers.level, default: 6 },
    compression: { parse: parsers.digit, default: 2 },
    logging: { parse: parsers.oneOf(LOG_LEVELS), default: 'warn' },
    reconnect: { parse: parsers.bool, default: false },
    reconnect_delay: { parse: parsers.delay, default: 2000 },
    dot_cursor: { parse: parsers.bool, default: false },
};

/** The value of setting `name` read from raw (a string, or a stored value), or undefined. */
export function parseSetting(name, raw) {
    const spec = SETTINGS[name];
    if (!spec || raw === undefined || raw === null) {
        return undefined;
    }
    return spec.parse(raw);
}

/** Built-in defaults for a page at `location`, then the embedding page's own (valid ones only). */
export function defaultSettings(location = {}, overrides = {}) {
    const values = {};
    for (const [name, spec] of Object.entries(SETTINGS)) {
        values[name] = typeof spec.default === 'function' ? spec.default(location) : spec.default;
        const own = parseSetting(name, overrides[name]);
        if (own !== undefined) {
            values[name] = own;
        }
    }
    return values;
}

/**
 * Resolves every setting: query (URLSearchParams) > stored (object) > defaults.
 * Returns {values, sources} with sources[name] one of 'query', 'stored', 'default'.
 * Invalid values are skipped, so the next source decides.
 */
export function resolveSettings({ query = new URLSearchParams(), stored = {}, defaults }) {
    const values = {};
    const sources = {};
    for (const name of Object.keys(SETTINGS)) {
        const fromQuery = query.has(name) ? parseSetting(name, query.get(name)) : undefined;
        const fromStore = Object.hasOwn(stored, name) ? parseSetting(name, stored[name]) : undefined;
        if (fromQuery !== undefined) {
            values[name] = fromQuery;
            sources[name] = 'query';
        } else if (fromStore !== undefined) {
            values[name] = fromStore;
            sources[name] = 'stored';
        } else {
            values[name] = defaults[name];
            sources[name] = 'default';
        }
    }
    return { values, sources };
}

/**
 * The user's choices in a Storage (localStorage) under one JSON key. Only
 * values that differ from the defaults are kept, so a default that changes
 * (the page moved to another host) is followed. A missing or broken storage
 * (private windows, disabled cookies) just remembers nothing.
 */
export class SettingsStore {
    /** @param {Storage|null} storage @param {string} key */
    constructor(storage, key = STORAGE_KEY) {
        this._storage = storage;
        this._key = key;
    }

    load() {
        try {
            const data = JSON.parse(this._storage?.getItem(this._key) ?? '{}');
            return data && typeof data === 'object' && !Array.isArray(data) ? data : {};
        } catch {
            return {};
        }
    }

    /** Remembers value for name, or forgets it when it equals the default. */
    save(name, value, defaultValue) {
        const data = this.load();
        if (value === defaultValue) {
            delete data[name];
        } else {
            data[name] = value;
        }
        this._write(data);
    }

    clear() {
        try {
            this._storage?.removeItem(this._key);
        } catch {
            /* nothing remembered then */
        }
    }

    _write(data) {
        try {
            if (Object.keys(data).length === 0) {
                this._storage?.removeItem(this._key);
            } else {
                this._storage?.setItem(this._key, JSON.stringify(data));
            }
        } catch {
            /* storage full or refused: the setting still applies for this page */
        }
    }
}

/** win.localStorage, or null where the browser refuses it (sandboxed frame, privacy settings). */
export function browserStorage(win) {
    try {
        return win.localStorage;
    } catch {
        return null;
    }
}

/** The WebSocket URL of the target that settings s name (no port: the scheme's). */
export function targetUrl(s) {
    return websocketUrl({ host: s.host, port: s.port || (s.encrypt ? '443' : '80'), path: s.path, encrypt: s.encrypt });
}

/** The RFB options of settings s, with the password and the encodings when there are any. */
export function rfbOptions(s, { password = null, encodings = null } = {}) {
    const options = {
        shared: s.shared,
        viewOnly: s.view_only,
        scaleViewport: s.resize === 'scale',
        resizeSession: s.resize === 'remote',
        qualityLevel: s.quality,
        compressionLevel: s.compression,
    };
    if (password !== null && password !== undefined) {
        options.credentials = { password };
    }
    if (encodings?.length) {
        options.encodings = encodings;
    }
    return options;
}
