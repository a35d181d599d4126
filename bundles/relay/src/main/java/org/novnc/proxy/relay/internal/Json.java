package org.novnc.proxy.relay.internal;

/** The few JSON answers of the HTTP phase ({@code /auth/check}, {@code /login}): flat objects of text, numbers and booleans. */
final class Json {
  private Json() {}

  /** {@code {"k1":v1,...}} from alternating names and values (String, Number, Boolean or null). */
  static String object(Object... namesAndValues) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      if (i > 0) {
        b.append(',');
      }
      string(b, String.valueOf(namesAndValues[i]));
      b.append(':');
      Object v = namesAndValues[i + 1];
      if (v == null || v instanceof Number || v instanceof Boolean) {
        b.append(v);
      } else {
        string(b, v.toString());
      }
    }
    return b.append('}').toString();
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
