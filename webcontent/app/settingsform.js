// Form controls named after settings (name="quality", ...) kept in step with
// the settings: set() shows values, a change reports the control's value.
// reconnect_delay is shown in seconds and kept in milliseconds.
import { SETTINGS } from './settings.js';

function readControl(control) {
    if (control.type === 'checkbox') {
        return control.checked;
    }
    if (control.name === 'reconnect_delay') {
        const seconds = parseFloat(control.value);
        return Number.isFinite(seconds) ? String(Math.round(seconds * 1000)) : control.value;
    }
    return control.value;
}

function writeControl(control, value) {
    if (control.type === 'checkbox') {
        control.checked = Boolean(value);
    } else if (control.name === 'reconnect_delay') {
        control.value = String(value / 1000);
    } else {
        control.value = String(value);
    }
    control.removeAttribute('aria-invalid');
}

export class SettingsForm {
    /**
     * @param {HTMLFormElement[]} forms forms whose named controls are settings
     * @param {(name: string, raw: string|boolean, control: Element) => void} onChange
     */
    constructor(forms, onChange) {
        this._controls = new Map();
        for (const form of forms) {
            for (const control of form.elements) {
                if (control.name && control.name in SETTINGS) {
                    this._controls.set(control.name, control);
                    control.addEventListener('change', () => onChange(control.name, readControl(control), control));
                }
            }
        }
    }

    /** Shows values (an object of settings) in the controls. */
    set(values) {
        for (const [name, control] of this._controls) {
            if (name in values) {
                writeControl(control, values[name]);
            }
        }
    }

    /** The raw value of every control in `names`. */
    read(names) {
        return Object.fromEntries(names.filter((n) => this._controls.has(n))
            .map((n) => [n, readControl(this._controls.get(n))]));
    }

    control(name) {
        return this._controls.get(name);
    }
}
