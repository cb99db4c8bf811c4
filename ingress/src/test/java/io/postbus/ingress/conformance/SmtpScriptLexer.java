package io.postbus.ingress.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * Tokens of the smtpscript DSL, following upstream's {@code yylex()}: {@code #} comments, quoted
 * strings with {@code "} or {@code '}, numbers, bare words (keywords or strings) and single
 * characters. A backslash-newline continues a line.
 *
 * <p>One deliberate difference: upstream silently drops a raw newline inside a quoted string; we
 * keep it, so that {@code test.smtp0}'s damaged RCPT really sends a bare LF mid-command, which is
 * how {@code ../shared/conformance/README.md} §9 says to run it (a bare-LF probe).
 */
final class SmtpScriptLexer {
    enum Kind { WORD, STRING, NUMBER, NEWLINE, CHAR, EOF }

    /** {@code text} is the word, the string's contents, the number's digits or the character. */
    record Token(Kind kind, String text, int line) {
        boolean is(Kind k, String t) {
            return kind == k && text.equals(t);
        }

        /** A keyword is an unquoted word; a quoted "call" is a string, as upstream. */
        boolean isKeyword(String k) {
            return is(Kind.WORD, k);
        }

        boolean isChar(char c) {
            return is(Kind.CHAR, String.valueOf(c));
        }

        @Override
        public String toString() {
            return kind == Kind.NEWLINE ? "newline" : kind == Kind.EOF ? "end of file" : "'" + text + "'";
        }
    }

    private final String file;
    private final String src;
    private int pos;
    private int line = 1;

    private SmtpScriptLexer(String file, String src) {
        this.file = file;
        this.src = src;
    }

    static List<Token> tokenize(String file, String src) {
        SmtpScriptLexer lx = new SmtpScriptLexer(file, src);
        List<Token> out = new ArrayList<>();
        Token t;
        do {
            t = lx.next();
            out.add(t);
        } while (t.kind() != Kind.EOF);
        return out;
    }

    private int peekRaw() {
        return pos < src.length() ? src.charAt(pos) : -1;
    }

    /** Outside quotes: backslash-newline is a continuation, backslash-x is x (upstream's lgetc). */
    private int read() {
        while (pos + 1 < src.length() && src.charAt(pos) == '\\' && src.charAt(pos + 1) == '\n') {
            pos += 2;
            line++;
        }
        if (pos >= src.length()) {
            return -1;
        }
        if (src.charAt(pos) == '\\' && pos + 1 < src.length()) {
            pos += 2;
            return src.charAt(pos - 1);
        }
        return src.charAt(pos++);
    }

    private Token next() {
        int c;
        int mark;
        do {
            mark = pos;
            c = read();
        } while (c == ' ' || c == '\t');
        int startLine = line;
        if (c == '#') {
            do {
                mark = pos;
                c = read();
            } while (c != '\n' && c != -1);
        }
        if (c == -1) {
            return new Token(Kind.EOF, "", startLine);
        }
        if (c == '\n') {
            line++;
            return new Token(Kind.NEWLINE, "\n", startLine);
        }
        if (c == '"' || c == '\'') {
            return quoted((char) c, startLine);
        }
        if (c == '-' || isDigit(c)) {
            Token n = number(mark, startLine);
            if (n != null) {
                return n;
            }
            pos = mark;
            c = read();
            if (c == '-') {
                return new Token(Kind.CHAR, "-", startLine);
            }
        }
        if (isAlnum(c) || c == ':' || c == '_') {
            StringBuilder sb = new StringBuilder().append((char) c);
            while (allowedInWord(peekRaw())) {
                sb.append((char) read());
            }
            return new Token(Kind.WORD, sb.toString(), startLine);
        }
        return new Token(Kind.CHAR, String.valueOf((char) c), startLine);
    }

    /** Upstream: a quoted string runs to the matching quote; {@code \<quote>} escapes it. */
    private Token quoted(char quote, int startLine) {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                throw new ScriptSyntaxException(file, startLine, "end of file inside a quoted string");
            }
            char c = src.charAt(pos++);
            if (c == '\n') {
                line++; // kept: see the class comment
            } else if (c == '\\' && pos < src.length()) {
                char n = src.charAt(pos);
                if (n == quote) {
                    pos++;
                    c = quote;
                } else if (n == '\n') {
                    pos++;
                    line++;
                    continue;
                }
            } else if (c == quote) {
                return new Token(Kind.STRING, sb.toString(), startLine);
            }
            sb.append(c);
        }
    }

    /** Digits (after an optional '-') ending at white space, EOF or one of ")/,}=" make a number. */
    private Token number(int mark, int startLine) {
        pos = mark;
        StringBuilder sb = new StringBuilder().append((char) read());
        while (isDigit(peekRaw())) {
            sb.append((char) read());
        }
        int end = peekRaw();
        boolean ends = end == -1 || Character.isWhitespace(end) || ")/,}=".indexOf(end) >= 0;
        if (!ends || sb.toString().equals("-")) {
            return null;
        }
        return new Token(Kind.NUMBER, sb.toString(), startLine);
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlnum(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Upstream's allowed_in_string: alphanumerics and punctuation except (){}<>!=#, */
    private static boolean allowedInWord(int c) {
        boolean punct = c > 0x20 && c < 0x7f && !isAlnum(c);
        return isAlnum(c) || (punct && "(){}<>!=#,".indexOf(c) < 0);
    }
}
