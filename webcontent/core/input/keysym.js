// KeyboardEvent -> X keysym (X11 keysymdef.h values).
// Printable characters map to their Latin-1 keysym or to the Unicode keysym
// 0x01000000 + code point; named keys use the table below; keys with a left
// and a right variant and keypad keys are told apart by location and code.

export const XK = {
    BackSpace: 0xff08, Tab: 0xff09, Clear: 0xff0b, Return: 0xff0d, Pause: 0xff13,
    Scroll_Lock: 0xff14, Escape: 0xff1b, Multi_key: 0xff20, Delete: 0xffff,
    Home: 0xff50, Left: 0xff51, Up: 0xff52, Right: 0xff53, Down: 0xff54,
    Prior: 0xff55, Next: 0xff56, End: 0xff57, Select: 0xff60, Print: 0xff61,
    Execute: 0xff62, Insert: 0xff63, Undo: 0xff65, Redo: 0xff66, Menu: 0xff67,
    Find: 0xff68, Cancel: 0xff69, Help: 0xff6a, Break: 0xff6b, Num_Lock: 0xff7f,
    KP_Enter: 0xff8d, KP_Home: 0xff95, KP_Left: 0xff96, KP_Up: 0xff97, KP_Right: 0xff98,
    KP_Down: 0xff99, KP_Prior: 0xff9a, KP_Next: 0xff9b, KP_End: 0xff9c, KP_Begin: 0xff9d,
    KP_Insert: 0xff9e, KP_Delete: 0xff9f, KP_Multiply: 0xffaa, KP_Add: 0xffab,
    KP_Separator: 0xffac, KP_Subtract: 0xffad, KP_Decimal: 0xffae, KP_Divide: 0xffaf,
    KP_0: 0xffb0, KP_Equal: 0xffbd, F1: 0xffbe,
    Shift_L: 0xffe1, Shift_R: 0xffe2, Control_L: 0xffe3, Control_R: 0xffe4,
    Caps_Lock: 0xffe5, Meta_L: 0xffe7, Meta_R: 0xffe8, Alt_L: 0xffe9, Alt_R: 0xffea,
    Super_L: 0xffeb, Super_R: 0xffec, Hyper_L: 0xffed, ISO_Level3_Shift: 0xfe03,
    Muhenkan: 0xff22, Henkan: 0xff23, Hiragana_Katakana: 0xff27, Zenkaku_Hankaku: 0xff2a,
    Kana_Lock: 0xff2d, Hangul: 0xff31, Hangul_Hanja: 0xff34,
    XF86AudioLowerVolume: 0x1008ff11, XF86AudioMute: 0x1008ff12,
    XF86AudioRaiseVolume: 0x1008ff13, XF86AudioPlay: 0x1008ff14, XF86AudioStop: 0x1008ff15,
    XF86AudioPrev: 0x1008ff16, XF86AudioNext: 0x1008ff17,
};

/** KeyboardEvent.key names with a single keysym. */
const NAMED = {
    Backspace: XK.BackSpace, Tab: XK.Tab, Clear: XK.Clear, Enter: XK.Return,
    Pause: XK.Pause, ScrollLock: XK.Scroll_Lock, Escape: XK.Escape, Compose: XK.Multi_key,
    Delete: XK.Delete, Home: XK.Home, ArrowLeft: XK.Left, ArrowUp: XK.Up,
    ArrowRight: XK.Right, ArrowDown: XK.Down, PageUp: XK.Prior, PageDown: XK.Next,
    End: XK.End, Select: XK.Select, PrintScreen: XK.Print, Execute: XK.Execute,
    Insert: XK.Insert, Undo: XK.Undo, Redo: XK.Redo, ContextMenu: XK.Menu,
    Find: XK.Find, Cancel: XK.Cancel, Help: XK.Help, Break: XK.Break,
    NumLock: XK.Num_Lock, CapsLock: XK.Caps_Lock, AltGraph: XK.ISO_Level3_Shift,
    Hyper: XK.Hyper_L, NonConvert: XK.Muhenkan, Convert: XK.Henkan,
    HiraganaKatakana: XK.Hiragana_Katakana, ZenkakuHankaku: XK.Zenkaku_Hankaku,
    KanaMode: XK.Kana_Lock, HangulMode: XK.Hangul, HanjaMode: XK.Hangul_Hanja,
    AudioVolumeDown: XK.XF86AudioLowerVolume, AudioVolumeMute: XK.XF86AudioMute,
    AudioVolumeUp: XK.XF86AudioRaiseVolume, MediaPlayPause: XK.XF86AudioPlay,
    MediaStop: XK.XF86AudioStop, MediaTrackPrevious: XK.XF86AudioPrev,
    MediaTrackNext: XK.XF86AudioNext,
};

/** Keys with a left and a right keysym: [left, right]. */
const SIDED = {
    Shift: [XK.Shift_L, XK.Shift_R],
    Control: [XK.Control_L, XK.Control_R],
    Alt: [XK.Alt_L, XK.Alt_R],
    Meta: [XK.Super_L, XK.Super_R],
    OS: [XK.Super_L, XK.Super_R],
    Super: [XK.Super_L, XK.Super_R],
};

/** Keypad characters (NumLock on). */
const KEYPAD_CHARS = {
    '0': XK.KP_0, '1': XK.KP_0 + 1, '2': XK.KP_0 + 2, '3': XK.KP_0 + 3, '4': XK.KP_0 + 4,
    '5': XK.KP_0 + 5, '6': XK.KP_0 + 6, '7': XK.KP_0 + 7, '8': XK.KP_0 + 8, '9': XK.KP_0 + 9,
    '*': XK.KP_Multiply, '+': XK.KP_Add, '-': XK.KP_Subtract, '/': XK.KP_Divide,
    '.': XK.KP_Decimal, ',': XK.KP_Separator, '=': XK.KP_Equal,
};

/** Keypad navigation keys (NumLock off). */
const KEYPAD_NAMED = {
    Home: XK.KP_Home, ArrowLeft: XK.KP_Left, ArrowUp: XK.KP_Up, ArrowRight: XK.KP_Right,
    ArrowDown: XK.KP_Down, PageUp: XK.KP_Prior, PageDown: XK.KP_Next, End: XK.KP_End,
    Clear: XK.KP_Begin, Insert: XK.KP_Insert, Delete: XK.KP_Delete, Enter: XK.KP_Enter,
};

const KEYPAD_LOCATION = 3;
const RIGHT_LOCATION = 2;

/** Keysym of one Unicode code point. */
export function keysymFromCodePoint(cp) {
    if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff)) {
        return cp;  // Latin-1 keysyms equal their code points
    }
    return 0x01000000 | cp;
}

/**
 * The keysym for a KeyboardEvent-like {key, code, location}, or null for keys
 * that send nothing by themselves (dead keys, IME processing, unknown keys).
 */
export function keysymFromEvent({ key, code = '', location = 0 }) {
    const isKeypad = location === KEYPAD_LOCATION || code.startsWith('Numpad');
    const chars = [...(key ?? '')];
    if (chars.length === 1) {
        if (isKeypad && key in KEYPAD_CHARS) {
            return KEYPAD_CHARS[key];
        }
        return keysymFromCodePoint(chars[0].codePointAt(0));
    }
    if (isKeypad && key in KEYPAD_NAMED) {
        return KEYPAD_NAMED[key];
    }
    if (key in SIDED) {
        const right = location === RIGHT_LOCATION || code.endsWith('Right');
        return SIDED[key][right ? 1 : 0];
    }
    if (key in NAMED) {
        return NAMED[key];
    }
    const f = /^F(\d{1,2})$/.exec(key);
    if (f && Number(f[1]) >= 1 && Number(f[1]) <= 35) {
        return XK.F1 + Number(f[1]) - 1;
    }
    return null;
}
