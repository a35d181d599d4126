package org.novnc.proxy.demo.internal;

/** The X11 keysyms (RFC 6143 §7.5.4) the text area understands. */
final class Keysyms {
  static final int BACKSPACE = 0xff08;
  static final int TAB = 0xff09;
  static final int RETURN = 0xff0d;
  static final int KP_ENTER = 0xff8d;
  static final int KP_SPACE = 0xff80;
  static final int KP_0 = 0xffb0;
  static final int KP_9 = 0xffb9;

  private Keysyms() {}

  /**
   * The character a keysym types, or -1: Latin-1 keysyms are their own code points, Unicode keysyms
   * are 0x01000000 plus the code point, keypad keys type their digit or operator.
   */
  static int codePoint(int keysym) {
    if ((keysym >= 0x20 && keysym <= 0x7e) || (keysym >= 0xa0 && keysym <= 0xff)) {
      return keysym;
    }
    if ((keysym & 0xff000000) == 0x01000000) {
      int cp = keysym & 0x00ffffff;
      return cp >= 0x20 && Character.isValidCodePoint(cp) && !Character.isISOControl(cp) ? cp : -1;
    }
    if (keysym >= KP_0 && keysym <= KP_9) {
      return '0' + keysym - KP_0;
    }
    return switch (keysym) {
      case KP_SPACE -> ' ';
      case 0xffaa -> '*';
      case 0xffab -> '+';
      case 0xffac -> ',';
      case 0xffad -> '-';
      case 0xffae -> '.';
      case 0xffaf -> '/';
      case 0xffbd -> '=';
      default -> -1;
    };
  }
}
