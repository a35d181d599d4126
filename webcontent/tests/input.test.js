// Keysym tables, keyboard state, wheel and touch gestures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keysymFromEvent, keysymFromCodePoint, XK } from '../core/input/keysym.js';
import { scancodeFromCode } from '../core/input/xtscancodes.js';
import { Keyboard } from '../core/input/keyboard.js';
import { Pointer } from '../core/input/pointer.js';
import { TouchGestures } from '../core/input/touch.js';

const ks = (key, code = '', location = 0) => keysymFromEvent({ key, code, location });

test('printable characters: Latin-1 keysyms, Unicode keysyms beyond', () => {
    assert.equal(ks('a', 'KeyA'), 0x61);
    assert.equal(ks('A', 'KeyA'), 0x41);
    assert.equal(ks(' ', 'Space'), 0x20);
    assert.equal(ks('~'), 0x7e);
    assert.equal(ks('é'), 0xe9);
    assert.equal(ks('ÿ'), 0xff);
    assert.equal(ks('\u00a0'), 0xa0);
    assert.equal(ks('€'), 0x010020ac);
    assert.equal(ks('ж'), 0x01000436);
    assert.equal(ks('😀'), 0x0101f600);
    assert.equal(keysymFromCodePoint(0x7f), 0x0100007f);
});

test('named keys, function keys and media keys', () => {
    const cases = {
        Enter: 0xff0d, Backspace: 0xff08, Tab: 0xff09, Escape: 0xff1b, Delete: 0xffff,
        Home: 0xff50, End: 0xff57, PageUp: 0xff55, PageDown: 0xff56, Insert: 0xff63,
        ArrowLeft: 0xff51, ArrowUp: 0xff52, ArrowRight: 0xff53, ArrowDown: 0xff54,
        F1: 0xffbe, F12: 0xffc9, F24: 0xffd5, CapsLock: 0xffe5, NumLock: 0xff7f,
        PrintScreen: 0xff61, Pause: 0xff13, ScrollLock: 0xff14, ContextMenu: 0xff67,
        AltGraph: XK.ISO_Level3_Shift, AudioVolumeUp: 0x1008ff13,
    };
    for (const [key, keysym] of Object.entries(cases)) {
        assert.equal(ks(key), keysym, key);
    }
    assert.equal(ks('F36'), null);
    assert.equal(ks('Dead'), null);
    assert.equal(ks('Unidentified'), null);
});

test('modifiers: left and right by location or code', () => {
    assert.equal(ks('Shift', 'ShiftLeft', 1), XK.Shift_L);
    assert.equal(ks('Shift', 'ShiftRight', 2), XK.Shift_R);
    assert.equal(ks('Control', 'ControlRight'), XK.Control_R);
    assert.equal(ks('Alt', 'AltLeft', 1), XK.Alt_L);
    assert.equal(ks('Alt', 'AltRight', 2), XK.Alt_R);
    assert.equal(ks('Meta', 'MetaLeft', 1), XK.Super_L);
    assert.equal(ks('OS', 'OSRight', 2), XK.Super_R);
});

test('keypad: digits and operators with NumLock, navigation without', () => {
    assert.equal(ks('7', 'Numpad7', 3), 0xffb7);
    assert.equal(ks('0', 'Numpad0', 3), 0xffb0);
    assert.equal(ks('+', 'NumpadAdd', 3), 0xffab);
    assert.equal(ks('/', 'NumpadDivide', 3), 0xffaf);
    assert.equal(ks('.', 'NumpadDecimal', 3), 0xffae);
    assert.equal(ks('Enter', 'NumpadEnter', 3), 0xff8d);
    assert.equal(ks('Home', 'Numpad7', 3), 0xff95);
    assert.equal(ks('ArrowUp', 'Numpad8', 3), 0xff97);
    assert.equal(ks('Clear', 'Numpad5', 3), 0xff9d);
    assert.equal(ks('Delete', 'NumpadDecimal', 3), 0xff9f);
    assert.equal(ks('7', 'Digit7', 0), 0x37);
});

test('XT scancodes, with the 0xE0 prefix folded into bit 7', () => {
    assert.equal(scancodeFromCode('KeyA'), 0x1e);
    assert.equal(scancodeFromCode('Escape'), 0x01);
    assert.equal(scancodeFromCode('ControlRight'), 0x9d);
    assert.equal(scancodeFromCode('ArrowUp'), 0xc8);
    assert.equal(scancodeFromCode('MetaLeft'), 0xdb);
    assert.equal(scancodeFromCode('NumpadEnter'), 0x9c);
    assert.equal(scancodeFromCode('Nope'), 0);
});

function keyEvent(key, code, extra = {}) {
    const held = extra.held ?? [];
    return {
        key, code, location: extra.location ?? 0, timeStamp: extra.timeStamp ?? 0,
        getModifierState: (m) => held.includes(m),
        preventDefault() {},
    };
}

function recordingKeyboard(options) {
    const kb = new Keyboard(new EventTarget(), options);
    const log = [];
    kb.onkeyevent = (keysym, code, down) => log.push([keysym, code, down]);
    return { kb, log };
}

test('a release repeats the keysym of its press even when Shift changed in between', () => {
    const { kb, log } = recordingKeyboard({ windowsAltGr: false });
    kb.handleKeyDown(keyEvent('Shift', 'ShiftLeft', { location: 1, held: ['Shift'] }));
    kb.handleKeyDown(keyEvent('A', 'KeyA', { held: ['Shift'] }));
    kb.handleKeyDown(keyEvent('a', 'KeyA', { held: ['Shift'] }));   // auto-repeat
    kb.handleKeyUp(keyEvent('Shift', 'ShiftLeft', { location: 1 }));
    kb.handleKeyUp(keyEvent('a', 'KeyA'));
    assert.deepEqual(log, [
        [XK.Shift_L, 'ShiftLeft', true], [0x41, 'KeyA', true], [0x41, 'KeyA', true],
        [XK.Shift_L, 'ShiftLeft', false], [0x41, 'KeyA', false],
    ]);
});

test('dead keys send nothing; the composed character is one keysym', () => {
    const { kb, log } = recordingKeyboard({ windowsAltGr: false });
    kb.handleKeyDown(keyEvent('Dead', 'BracketLeft'));
    kb.handleKeyUp(keyEvent('Dead', 'BracketLeft'));
    kb.handleKeyDown(keyEvent('ê', 'KeyE'));
    kb.handleKeyUp(keyEvent('e', 'KeyE'));
    assert.deepEqual(log, [[0xea, 'KeyE', true], [0xea, 'KeyE', false]]);
});

test('modifiers released while unfocused are resynced; blur releases everything', () => {
    const { kb, log } = recordingKeyboard({ windowsAltGr: false });
    kb.handleKeyDown(keyEvent('Control', 'ControlLeft', { held: ['Control'] }));
    kb.handleKeyDown(keyEvent('b', 'KeyB', { held: [] }));   // Control no longer held
    assert.deepEqual(log.slice(1), [[XK.Control_L, 'ControlLeft', false], [0x62, 'KeyB', true]]);
    log.length = 0;
    kb.releaseAll();
    assert.deepEqual(log, [[0x62, 'KeyB', false]]);
});

test('Windows AltGr: the fake Control before AltRight is dropped', () => {
    const { kb, log } = recordingKeyboard({ windowsAltGr: true });
    kb.handleKeyDown(keyEvent('Control', 'ControlLeft', { timeStamp: 100, held: ['Control'] }));
    kb.handleKeyDown(keyEvent('AltGraph', 'AltRight', { timeStamp: 100, held: ['AltGraph', 'Control', 'Alt'] }));
    kb.handleKeyDown(keyEvent('@', 'KeyQ', { timeStamp: 150, held: ['AltGraph', 'Control', 'Alt'] }));
    assert.deepEqual(log, [[XK.ISO_Level3_Shift, 'AltRight', true], [0x40, 'KeyQ', true]]);
    // A real Control press, later followed by another key, is sent.
    const other = recordingKeyboard({ windowsAltGr: true });
    other.kb.handleKeyDown(keyEvent('Control', 'ControlLeft', { timeStamp: 100, held: ['Control'] }));
    other.kb.handleKeyDown(keyEvent('c', 'KeyC', { timeStamp: 400, held: ['Control'] }));
    assert.deepEqual(other.log, [[XK.Control_L, 'ControlLeft', true], [0x63, 'KeyC', true]]);
    other.kb.releaseAll();
});

test('wheel: one click of buttons 4-7 per 50 pixels, lines and pages scaled', () => {
    const p = new Pointer(new EventTarget(), () => ({ x: 5, y: 6 }));
    const log = [];
    p.onpointer = (x, y, mask) => log.push(mask);
    p.handleWheel({ deltaX: 0, deltaY: -120, deltaMode: 0 });
    assert.deepEqual(log, [8, 0, 8, 0]);
    log.length = 0;
    p.handleWheel({ deltaX: 0, deltaY: 30, deltaMode: 0 });   // under one step: kept for later
    p.handleWheel({ deltaX: 60, deltaY: 0, deltaMode: 0 });
    p.handleWheel({ deltaX: 0, deltaY: 3, deltaMode: 1 });
    assert.deepEqual(log, [1 << 6, 0, 1 << 4, 0]);
});

function gestures() {
    const timers = [];
    const g = new TouchGestures({
        setTimeout: (f) => timers.push(f) - 1,
        clearTimeout: (i) => { timers[i] = null; },
    });
    const log = [];
    g.onpointer = (x, y, mask) => log.push([x, y, mask]);
    return { g, log, fire: () => timers.splice(0).forEach((f) => f?.()) };
}

test('touch: tap is a left click, long press a right click', () => {
    const { g, log, fire } = gestures();
    g.handle('start', [{ x: 10, y: 20 }]);
    g.handle('end', []);
    assert.deepEqual(log, [[10, 20, 0], [10, 20, 1], [10, 20, 0]]);
    log.length = 0;
    g.handle('start', [{ x: 3, y: 4 }]);
    fire();
    g.handle('end', []);
    assert.deepEqual(log, [[3, 4, 0], [3, 4, 4], [3, 4, 0]]);
});

test('touch: one-finger drag holds the left button; two-finger drag scrolls', () => {
    const { g, log } = gestures();
    g.handle('start', [{ x: 10, y: 10 }]);
    g.handle('move', [{ x: 30, y: 10 }]);
    g.handle('move', [{ x: 40, y: 15 }]);
    g.handle('end', []);
    assert.deepEqual(log, [[10, 10, 0], [10, 10, 1], [30, 10, 1], [40, 15, 1], [40, 15, 0]]);
    log.length = 0;
    g.handle('start', [{ x: 100, y: 200 }]);
    g.handle('start', [{ x: 100, y: 200 }, { x: 120, y: 200 }]);
    g.handle('move', [{ x: 100, y: 140 }, { x: 120, y: 140 }]);   // up 60: one step down
    g.handle('move', [{ x: 100, y: 250 }, { x: 120, y: 250 }]);   // down 110: two steps up
    g.handle('end', [{ x: 100, y: 250 }]);
    g.handle('end', []);
    assert.deepEqual(log, [[110, 200, 16], [110, 200, 0], [110, 200, 8], [110, 200, 0], [110, 200, 8], [110, 200, 0]]);
});
