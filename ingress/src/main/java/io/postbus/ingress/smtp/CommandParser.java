package io.postbus.ingress.smtp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parses one command line (without its CRLF). Strict where it matters for security: NUL, CR and
 * LF inside a line are refused (command injection), as are over-long lines; a path must be in
 * angle brackets. Lenient where real clients differ harmlessly: verb case, a space after "FROM:".
 */
public final class CommandParser {
    /** RFC 5321 §4.5.3.1.4 allows 512; extensions (§4.5.3.1.2) need more, as Postfix allows. */
    public static final int MAX_COMMAND_LENGTH = 2048;

    private CommandParser() {}

    public static Command parse(String line) {
        if (line.length() > MAX_COMMAND_LENGTH) {
            return invalid(500, "5.5.2", "Error: command line too long");
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                return invalid(500, "5.5.2", "Error: bad character in command");
            }
        }
        int sp = line.indexOf(' ');
        String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String arg = sp < 0 ? "" : line.substring(sp + 1).trim();
        if (!verb.equals("MAIL") && !verb.equals("RCPT") && !line.chars().allMatch(c -> c < 0x80)) {
            // Only addresses may carry UTF-8 (RFC 6531), and only after SMTPUTF8: nothing else may.
            return invalid(500, "5.5.2", "Error: 8-bit characters in command");
        }
        return switch (verb) {
            case "EHLO" -> arg.isEmpty() ? invalid(501, "5.5.4", "Syntax: EHLO hostname") : new Command.Ehlo(arg);
            case "HELO" -> arg.isEmpty() ? invalid(501, "5.5.4", "Syntax: HELO hostname") : new Command.Helo(arg);
            case "MAIL" -> mail(arg);
            case "RCPT" -> rcpt(arg);
            case "DATA" -> arg.isEmpty() ? new Command.Data() : invalid(501, "5.5.4", "Syntax: DATA");
            case "RSET" -> arg.isEmpty() ? new Command.Rset() : invalid(501, "5.5.4", "Syntax: RSET");
            case "NOOP" -> new Command.Noop();
            case "QUIT" -> arg.isEmpty() ? new Command.Quit() : invalid(501, "5.5.4", "Syntax: QUIT");
            case "VRFY" -> new Command.Vrfy(arg);
            case "HELP" -> new Command.Help();
            case "BDAT" -> bdat(arg);
            case "AUTH" -> auth(arg);
            case "STARTTLS" -> arg.isEmpty() ? new Command.StartTls() : invalid(501, "5.5.4", "Syntax: STARTTLS");
            default -> invalid(500, "5.5.2", "Error: command not recognized");
        };
    }

    private static Command auth(String arg) {
        String[] parts = arg.split(" ");
        if (arg.isEmpty() || parts.length > 2 || !parts[0].matches("[A-Za-z0-9_-]{1,20}")) {
            return invalid(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
        }
        return new Command.Auth(parts[0], parts.length == 2 ? parts[1] : null);
    }

    private static Command bdat(String arg) {
        String[] parts = arg.split(" ");
        if (arg.isEmpty() || parts.length > 2 || !parts[0].matches("\\d{1,18}")
                || (parts.length == 2 && !parts[1].equalsIgnoreCase("LAST"))) {
            return invalid(501, "5.5.4", "Syntax: BDAT chunk-size [LAST]");
        }
        return new Command.Bdat(Long.parseLong(parts[0]), parts.length == 2);
    }

    private static Command mail(String arg) {
        if (!arg.regionMatches(true, 0, "FROM:", 0, 5)) {
            return invalid(501, "5.5.4", "Syntax: MAIL FROM:<address>");
        }
        return pathAndParams(arg.substring(5).stripLeading(), true);
    }

    private static Command rcpt(String arg) {
        if (!arg.regionMatches(true, 0, "TO:", 0, 3)) {
            return invalid(501, "5.5.4", "Syntax: RCPT TO:<address>");
        }
        return pathAndParams(arg.substring(3).stripLeading(), false);
    }

    private static Command pathAndParams(String s, boolean mail) {
        if (!s.startsWith("<")) {
            return invalid(501, "5.1.7", "Bad address syntax: angle brackets required");
        }
        int close = closingBracket(s);
        if (close < 0) {
            return invalid(501, "5.1.7", "Bad address syntax");
        }
        String inner = s.substring(1, close);
        String rest = s.substring(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(" ")) {
            return invalid(501, "5.5.4", "Bad syntax after address");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String p : rest.trim().split(" +")) {
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).toUpperCase(Locale.ROOT);
            if (!key.matches("[A-Z0-9][A-Z0-9-]*") || params.containsKey(key)) {
                return invalid(501, "5.5.4", "Bad parameter syntax");
            }
            params.put(key, eq < 0 ? null : p.substring(eq + 1));
        }
        String path = stripSourceRoute(inner);
        if (path == null) {
            return invalid(501, "5.1.7", "Bad address syntax");
        }
        if (mail) {
            // UTF-8 is allowed here; the session refuses it unless SMTPUTF8 was given (RFC 6531 §3.4).
            return path.isEmpty() || MailAddress.isValidUtf8(path)
                    ? new Command.Mail(path, params) : invalid(501, "5.1.7", "Bad sender address syntax");
        }
        return MailAddress.isValidUtf8(path) || path.equalsIgnoreCase("postmaster")
                ? new Command.Rcpt(path, params) : invalid(501, "5.1.3", "Bad recipient address syntax");
    }

    /** Finds the '>' closing the path, skipping quoted local parts (which may contain '>'). */
    private static int closingBracket(String s) {
        boolean quoted = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** RFC 5321 §4.1.2: an A-d-l source route ("@a,@b:") is accepted and ignored. */
    private static String stripSourceRoute(String path) {
        if (!path.startsWith("@")) {
            return path;
        }
        int colon = path.indexOf(':');
        return colon < 0 ? null : path.substring(colon + 1);
    }

    private static Command invalid(int code, String enhanced, String text) {
        return new Command.Invalid(Reply.of(code, enhanced, text));
    }
}
