package org.novnc.proxy.wrapper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Splitting a command into words as a POSIX shell would (XCU 2.2), without running one. */
class CommandLineTest {

  private static List<String> split(String s) {
    return CommandLine.split(s);
  }

  private static String error(String s) {
    return assertThrows(IllegalArgumentException.class, () -> CommandLine.split(s)).getMessage();
  }

  @Test
  void blanksSeparateWords() {
    assertEquals(List.of("vncserver", ":1", "-geometry", "1024x768"), split("  vncserver :1\t-geometry\n1024x768 "));
  }

  @Test
  void singleQuotesKeepEverythingLiterally() {
    assertEquals(List.of("sh", "-c", "exit 1"), split("sh -c 'exit 1'"));
    // backslash and double quote are plain characters inside '...'
    assertEquals(List.of("a\\b \"c\""), split("'a\\b \"c\"'"));
    assertEquals(List.of("$HOME | x > y"), split("'$HOME | x > y'"));
  }

  @Test
  void doubleQuotesEscapeOnlyBackslashQuoteDollarBacktick() {
    assertEquals(List.of("say \"hi\""), split("\"say \\\"hi\\\"\""));
    assertEquals(List.of("a\\b"), split("\"a\\\\b\""));
    assertEquals(List.of("$x`y`"), split("\"\\$x\\`y\\`\""));
    // any other backslash stays, as in sh: "\n" is backslash + n
    assertEquals(List.of("a\\nb"), split("\"a\\nb\""));
    // backslash-newline is a line continuation and disappears
    assertEquals(List.of("ab"), split("\"a\\\nb\""));
  }

  @Test
  void unquotedBackslashEscapesTheNextCharacter() {
    assertEquals(List.of("a b", "c"), split("a\\ b c"));
    assertEquals(List.of("'"), split("\\'"));
    assertEquals(List.of("|"), split("\\|"));
    // line continuation joins words
    assertEquals(List.of("ab"), split("a\\\nb"));
  }

  @Test
  void adjacentPiecesFormOneWord() {
    assertEquals(List.of("--name=my vnc", "x"), split("--name='my vnc' x"));
    assertEquals(List.of("abcdef"), split("ab'cd'\"ef\""));
  }

  @Test
  void emptyQuotesMakeAnEmptyArgument() {
    assertEquals(List.of("prog", "", "x", ""), split("prog '' x \"\""));
  }

  @Test
  void unterminatedQuotesNameTheColumn() {
    assertEquals("has an unterminated single quote (opened at column 7)", error("sh -c 'exit 1"));
    assertEquals("has an unterminated double quote (opened at column 6)", error("echo \"hi"));
    // a backslash-escaped quote does not close a double-quoted string
    assertEquals("has an unterminated double quote (opened at column 1)", error("\"a\\\""));
  }

  @Test
  void trailingBackslashIsAnError() {
    assertEquals("ends with a backslash that escapes nothing", error("vncserver \\"));
  }

  @Test
  void emptyCommandIsAnError() {
    assertEquals("is empty: give the program and its arguments, e.g. vncserver :1", error("   "));
    assertEquals("is empty: give the program and its arguments, e.g. vncserver :1", error(null));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '#', value = {
      "vncserver :1 > /tmp/log#>#14",
      "a | b#|#3",
      "a; b#;#2",
      "sleep 1 &#&#9",
      "echo $HOME#$#6",
      "echo `id`#`#6",
      "cat < x#<#5"})
  void unquotedShellOperatorsAreRefused(String command, String operator, int column) {
    assertEquals("has an unquoted '" + operator + "' at column " + column
        + ": no shell runs the command; quote it, or write sh -c '...' to use a shell", error(command));
  }

  @Test
  void joinRoundTrips() {
    List<List<String>> cases = List.of(
        List.of("vncserver", ":1"),
        List.of("sh", "-c", "exit 1; echo 'x' \"y\" $HOME \\"),
        List.of("", "a b", "it's"),
        List.of("/usr/sbin/inetutils-inetd", "-d", "/tmp/my dir/inetd.conf"));
    for (List<String> argv : cases) {
      assertEquals(argv, split(CommandLine.join(argv)), CommandLine.join(argv));
    }
  }
}
