// Settings of vnc.html: query string > localStorage > the page's defaults >
// built-in defaults (several from the page's own location), and what is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    SETTINGS, SettingsStore, STORAGE_KEY, browserStorage, defaultSettings, parseSetting, resolveSettings, rfbOptions, targetUrl,
} from '../app/settings.js';

const HTTP = { protocol: 'http:', hostname: 'vnc.example', port: '6080' };
const HTTPS = { protocol: 'https:', hostname: 'secure.example', port: '' };

class MemoryStorage {
    constructor(init = {}) {
        this.data = new Map(Object.entries(init));
    }
    getItem(k) {
        return this.data.has(k) ? this.data.get(k) : null;
    }
    setItem(k, v) {
        this.data.set(k, String(v));
    }
    removeItem(k) {
        this.data.delete(k);
    }
}

test('defaults come from the page location, so the page needs only a click', () => {
    const d = defaultSettings(HTTP);
    assert.deepEqual([d.host, d.port, d.path, d.encrypt], ['vnc.example', '6080', 'websockify', false]);
    const s = defaultSettings(HTTPS);
    assert.deepEqual([s.host, s.port, s.encrypt], ['secure.example', '443', true]);
    assert.equal(defaultSettings({ protocol: 'http:', hostname: 'h', port: '' }).port, '80');
    assert.deepEqual(
        [d.shared, d.view_only, d.resize, d.quality, d.compression, d.logging, d.reconnect, d.reconnect_delay, d.dot_cursor],
        [true, false, 'off', 6, 2, 'warn', false, 2000, false]);
});

test('the embedding page can change the defaults; invalid ones are ignored', () => {
    const d = defaultSettings(HTTP, { port: '5901', resize: 'scale', quality: 'bogus' });
    assert.equal(d.port, '5901');
    assert.equal(d.resize, 'scale');
    assert.equal(d.quality, 6);
});

test('precedence: query > localStorage > defaults, per setting', () => {
    const defaults = defaultSettings(HTTP);
    const query = new URLSearchParams('quality=3&view_only=true&host=from-query');
    const stored = { quality: 8, compression: 7, host: 'from-storage', resize: 'remote' };
    const { values, sources } = resolveSettings({ query, stored, defaults });
    assert.equal(values.quality, 3);
    assert.equal(sources.quality, 'query');
    assert.equal(values.host, 'from-query');
    assert.equal(values.view_only, true);
    assert.equal(values.compression, 7);
    assert.equal(sources.compression, 'stored');
    assert.equal(values.resize, 'remote');
    assert.equal(values.port, '6080');
    assert.equal(sources.port, 'default');
});

test('an invalid value falls through to the next source', () => {
    const defaults = defaultSettings(HTTP);
    const query = new URLSearchParams('quality=eleven&resize=zoom&port=99999&reconnect=maybe');
    const stored = { quality: 4, resize: 'scale', port: 'x' };
    const { values, sources } = resolveSettings({ query, stored, defaults });
    assert.equal(values.quality, 4);
    assert.equal(values.resize, 'scale');
    assert.equal(values.port, '6080');
    assert.equal(sources.port, 'default');
    assert.equal(values.reconnect, false);
});

test('query values use the same names and forms as vnc_auto.html', () => {
    const q = new URLSearchParams('encrypt=1&shared=no&view_only=yes&resize=REMOTE&quality=lossless' +
        '&compression=0&logging=debug&reconnect=on&reconnect_delay=500&path=/ws/x&dot_cursor=true');
    const { values } = resolveSettings({ query: q, defaults: defaultSettings(HTTP) });
    assert.deepEqual(values, {
        host: 'vnc.example', port: '6080', path: 'ws/x', encrypt: true, shared: false, view_only: true,
        resize: 'remote', quality: -1, compression: 0, logging: 'debug', reconnect: true,
        reconnect_delay: 500, dot_cursor: true,
    });
    assert.deepEqual(Object.keys(values).sort(), Object.keys(SETTINGS).sort());
});

test('parsing: levels, booleans, ports and delays', () => {
    assert.equal(parseSetting('quality', '-1'), -1);
    assert.equal(parseSetting('quality', 9), 9);
    assert.equal(parseSetting('quality', '10'), undefined);
    assert.equal(parseSetting('compression', 'lossless'), undefined);
    assert.equal(parseSetting('view_only', false), false);
    assert.equal(parseSetting('view_only', 'OFF'), false);
    assert.equal(parseSetting('port', '05901'), '5901');
    assert.equal(parseSetting('port', '0'), undefined);
    assert.equal(parseSetting('reconnect_delay', '5'), 100);
    assert.equal(parseSetting('reconnect_delay', '99999999'), 600000);
    assert.equal(parseSetting('nonsense', '1'), undefined);
});

test('the store keeps only choices that differ from the defaults', () => {
    const storage = new MemoryStorage();
    const store = new SettingsStore(storage);
    store.save('quality', 3, 6);
    store.save('view_only', true, false);
    assert.deepEqual(JSON.parse(storage.getItem(STORAGE_KEY)), { quality: 3, view_only: true });
    store.save('quality', 6, 6);
    assert.deepEqual(store.load(), { view_only: true });
    store.save('view_only', false, false);
    assert.equal(storage.getItem(STORAGE_KEY), null);
});

test('stored settings survive a reload and lose to the query', () => {
    const storage = new MemoryStorage();
    new SettingsStore(storage).save('resize', 'scale', 'off');
    const again = new SettingsStore(storage);
    const defaults = defaultSettings(HTTP);
    assert.equal(resolveSettings({ stored: again.load(), defaults }).values.resize, 'scale');
    const query = new URLSearchParams('resize=off');
    assert.equal(resolveSettings({ query, stored: again.load(), defaults }).values.resize, 'off');
});

test('a broken or missing storage remembers nothing and throws nothing', () => {
    assert.deepEqual(new SettingsStore(new MemoryStorage({ [STORAGE_KEY]: '{not json' })).load(), {});
    assert.deepEqual(new SettingsStore(new MemoryStorage({ [STORAGE_KEY]: '[1,2]' })).load(), {});
    const refusing = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('full'); }, removeItem() { throw new Error('denied'); } };
    const store = new SettingsStore(refusing);
    assert.deepEqual(store.load(), {});
    store.save('quality', 1, 6);
    store.clear();
    const none = new SettingsStore(null);
    none.save('quality', 1, 6);
    assert.deepEqual(none.load(), {});
});

test('the target URL and the RFB options come from the settings', () => {
    const s = defaultSettings(HTTP);
    assert.equal(targetUrl(s), 'ws://vnc.example:6080/websockify');
    assert.equal(targetUrl({ ...s, port: '', encrypt: true }), 'wss://vnc.example:443/websockify', 'no port: the scheme\'s');
    assert.equal(targetUrl({ ...s, host: 'fe80::1', path: 'websockify?token=t' }), 'ws://[fe80::1]:6080/websockify?token=t');
    assert.deepEqual(rfbOptions({ ...s, resize: 'scale', quality: -1 }), {
        shared: true, viewOnly: false, scaleViewport: true, resizeSession: false, qualityLevel: -1, compressionLevel: 2,
    });
    const o = rfbOptions(s, { password: 'pw', encodings: ['tight', 'raw'] });
    assert.deepEqual([o.credentials, o.encodings], [{ password: 'pw' }, ['tight', 'raw']]);
    const none = rfbOptions(s, { password: null, encodings: [] });
    assert.ok(!('credentials' in none) && !('encodings' in none));
    assert.equal(rfbOptions(s, { password: '' }).credentials.password, '', 'an empty password is a password');
});

test('a browser that refuses localStorage gives none', () => {
    assert.equal(browserStorage({ get localStorage() { throw new Error('SecurityError'); } }), null);
    const storage = new MemoryStorage();
    assert.equal(browserStorage({ localStorage: storage }), storage);
});
