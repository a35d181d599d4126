// Levelled logging for the engine; the only module that talks to the console.
// Levels, most verbose first: debug, info, warn, error, none.

const LEVELS = ['debug', 'info', 'warn', 'error', 'none'];
const noop = () => {};

export const Log = {
    level: 'warn',
    debug: noop,
    info: noop,
    warn: noop,
    error: noop,

    /** Sets the level; unknown names fall back to 'warn'. */
    init(level = 'warn') {
        const index = LEVELS.includes(level) ? LEVELS.indexOf(level) : LEVELS.indexOf('warn');
        this.level = LEVELS[index];
        /* eslint-disable no-console */
        this.debug = index <= 0 ? console.debug.bind(console, '[rfb]') : noop;
        this.info = index <= 1 ? console.info.bind(console, '[rfb]') : noop;
        this.warn = index <= 2 ? console.warn.bind(console, '[rfb]') : noop;
        this.error = index <= 3 ? console.error.bind(console, '[rfb]') : noop;
        /* eslint-enable no-console */
    },
};

Log.init('warn');
