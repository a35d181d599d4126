package org.novnc.proxy.demo.internal;

/** What has been typed into the shared text area; the oldest text goes when it gets long. */
final class TextBox {
  static final int MAX_CHARS = 4000;
  private final StringBuilder text = new StringBuilder();

  /** Applies a key press; true when the text changed. */
  boolean press(int keysym) {
    switch (keysym) {
      case Keysyms.BACKSPACE -> {
        if (text.length() == 0) {
          return false;
        }
        text.setLength(text.offsetByCodePoints(text.length(), -1));
        return true;
      }
      case Keysyms.RETURN, Keysyms.KP_ENTER -> append('\n');
      case Keysyms.TAB -> {
        append(' ');
        append(' ');
      }
      default -> {
        int cp = Keysyms.codePoint(keysym);
        if (cp < 0) {
          return false;
        }
        text.appendCodePoint(cp);
        trim();
      }
    }
    return true;
  }

  private void append(char c) {
    text.append(c);
    trim();
  }

  private void trim() {
    if (text.length() > MAX_CHARS) {
      text.delete(0, text.length() - MAX_CHARS);
      if (Character.isLowSurrogate(text.charAt(0))) {
        text.deleteCharAt(0);
      }
    }
  }

  String text() {
    return text.toString();
  }
}
