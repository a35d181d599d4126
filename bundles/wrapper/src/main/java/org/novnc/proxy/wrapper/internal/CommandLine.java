package org.novnc.proxy.wrapper.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code command} value into an argument vector the way a POSIX shell splits words, and
 * nothing more: no shell is run, so there is no variable expansion, globbing, redirection or
 * pipeline. Rules (POSIX.1-2017, XCU 2.2 Quoting):
 *
 * <ul>
 *   <li>unquoted blanks (space, tab, newline) separate words;</li>
 *   <li>{@code '...'} keeps every character literally, including backslash;</li>
 *   <li>{@code "..."} keeps characters literally except that a backslash escapes {@code \ " $ `}
 *       and a backslash-newline is removed;</li>
 *   <li>an unquoted backslash escapes the next character; backslash-newline is removed;</li>
 *   <li>{@code ''} and {@code ""} make an empty argument.</li>
 * </ul>
 *
 * <p>Unquoted shell operators ({@code | ; & < > $ `}) are refused rather than passed on as
 * arguments: they would silently not do what the person who wrote them meant. Whoever wants a
 * shell writes {@code sh -c '...'}.
 */
final class CommandLine {
  private static final String OPERATORS = "|;&<>$`";

  private CommandLine() {}

  /**
   * The words of {@code line}.
   *
   * @throws IllegalArgumentException with a message that completes "command = '...' ", e.g.
   *     "has an unterminated single quote (opened at column 4)"
   */
  static List<String> split(String line) {
    if (line == null || line.isBlank()) {
      throw new IllegalArgumentException("is empty: give the program and its arguments, e.g. vncserver :1");
    }
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("has an unterminated single quote (opened at column " + (i + 1) + ")");
        }
        word.append(line, i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c == '"') {
        i = doubleQuoted(line, i, word);
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 >= n) {
          throw new IllegalArgumentException("ends with a backslash that escapes nothing");
        }
        char next = line.charAt(i + 1);
        if (next != '\n') {
          word.append(next);
          inWord = true;
        }
        i += 2;
      } else if (OPERATORS.indexOf(c) >= 0) {
        throw new IllegalArgumentException("has an unquoted '" + c + "' at column " + (i + 1)
            + ": no shell runs the command; quote it, or write sh -c '...' to use a shell");
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return List.copyOf(words);
  }

  /** Appends the double-quoted string opening at {@code open}; returns the index after its end. */
  private static int doubleQuoted(String line, int open, StringBuilder word) {
    int n = line.length();
    int i = open + 1;
    while (i < n) {
      char c = line.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\' && i + 1 < n) {
        char next = line.charAt(i + 1);
        if (next == '\\' || next == '"' || next == '$' || next == '`') {
          word.append(next);
          i += 2;
          continue;
        }
        if (next == '\n') {
          i += 2;
          continue;
        }
      }
      word.append(c);
      i++;
    }
    throw new IllegalArgumentException("has an unterminated double quote (opened at column " + (open + 1) + ")");
  }

  /** The inverse of {@link #split}: {@code argv} quoted so that split gives the same words back. */
  static String join(List<String> argv) {
    StringBuilder b = new StringBuilder();
    for (String a : argv) {
      if (b.length() > 0) {
        b.append(' ');
      }
      if (!a.isEmpty() && a.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || "-_./:=,+@%".indexOf(ch) >= 0)) {
        b.append(a);
      } else {
        b.append('\'').append(a.replace("'", "'\\''")).append('\'');
      }
    }
    return b.toString();
  }
}
