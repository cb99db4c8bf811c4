package io.postbus.ingress.conformance;

import io.postbus.ingress.conformance.SmtpScript.Expectation;
import io.postbus.ingress.conformance.SmtpScript.Op;
import io.postbus.ingress.conformance.SmtpScript.TestCase;
import io.postbus.ingress.conformance.SmtpScriptLexer.Kind;
import io.postbus.ingress.conformance.SmtpScriptLexer.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser for the grammar of upstream's parse.y:
 * <pre>
 * script    := { '\n' | proc '\n' | testcase '\n' }
 * proc      := 'proc' STRING { '%' STRING } block
 * testcase  := 'test-case' ['name' STRING] ['no-autoconnect'] ['expect' 'fail'] ['skip'] block
 * block     := '{' {'\n'} [ statement { '\n' {'\n'} statement } {'\n'} ] '}'
 * statement := block | 'repeat' NUMBER statement | 'random' block | 'call' STRING | 'noop'
 *            | 'sleep' NUMBER | 'fail' STRING | 'connect' STRING ['port' (NUMBER|STRING)]
 *            | 'disconnect' | 'starttls' | 'write' STRING | 'writeln' STRING
 *            | 'expect' 'disconnect' | 'expect' 'smtp' ['ok'|'helo'|'tempfail'|'permfail']
 * </pre>
 * Macros ({@code $x}, {@code x = y}) and {@code include} are not used by the suite and are refused.
 */
final class SmtpScriptParser {
    /** Upstream's keyword table: these words are never strings unless quoted. */
    private static final Set<String> KEYWORDS = Set.of("call", "connect", "disconnect", "expect",
            "fail", "helo", "name", "no-autoconnect", "noop", "ok", "permfail", "port", "proc", "random", "repeat",
            "skip", "sleep", "smtp", "starttls", "tempfail", "test-case", "write", "writeln");

    private final String file;
    private final List<Token> tokens;
    private final Map<String, Op.Block> procedures;
    private int at;
    private String currentProc;

    private SmtpScriptParser(String file, List<Token> tokens, Map<String, Op.Block> procedures) {
        this.file = file;
        this.tokens = tokens;
        this.procedures = procedures;
    }

    static SmtpScript parse(String file, String text) {
        SmtpScriptParser p = new SmtpScriptParser(file, SmtpScriptLexer.tokenize(file, text), new LinkedHashMap<>());
        List<TestCase> cases = new ArrayList<>();
        while (p.peek().kind() != Kind.EOF) {
            Token t = p.peek();
            if (t.kind() == Kind.NEWLINE) {
                p.at++;
                continue;
            }
            if (t.isKeyword("proc")) {
                p.proc();
            } else if (t.isKeyword("test-case")) {
                cases.add(p.testCase());
            } else {
                throw p.error(t, "expected proc or test-case, found " + t);
            }
            if (p.peek().kind() != Kind.EOF) {
                p.expect(Kind.NEWLINE, "newline");
            }
        }
        return new SmtpScript(file, p.procedures, cases);
    }

    /**
     * Statements written in the DSL outside any file (our own expectations for a case), parsed as a
     * block that may call the procedures of {@code context}.
     */
    static Op.Block parseBody(SmtpScript context, String origin, String statements) {
        String text = "{\n" + statements + "\n}";
        SmtpScriptParser p = new SmtpScriptParser(origin, SmtpScriptLexer.tokenize(origin, text),
                new LinkedHashMap<>(context.procedures()));
        Op.Block b = p.block();
        while (p.peek().kind() == Kind.NEWLINE) {
            p.at++;
        }
        if (p.peek().kind() != Kind.EOF) {
            throw p.error(p.peek(), "trailing input " + p.peek());
        }
        return b;
    }

    private void proc() {
        Token kw = next();
        String name = string("procedure name");
        if (procedures.containsKey(name)) {
            throw error(kw, "procedure \"" + name + "\" already exists");
        }
        while (peek().isChar('%')) { // parameters: declared upstream, never usable in a statement
            at++;
            string("parameter name");
        }
        currentProc = name;
        procedures.put(name, block());
        currentProc = null;
    }

    private TestCase testCase() {
        Token kw = next();
        String name = null;
        if (peek().isKeyword("name")) {
            at++;
            name = string("test-case name");
            if (procedures.containsKey(name)) {
                throw error(kw, "name \"" + name + "\" is already a procedure");
            }
        }
        boolean autoConnect = true;
        if (peek().isKeyword("no-autoconnect")) {
            at++;
            autoConnect = false;
        }
        boolean expectFail = false;
        if (peek().isKeyword("expect")) {
            at++;
            keyword("fail");
            expectFail = true;
        }
        boolean skip = false;
        if (peek().isKeyword("skip")) {
            at++;
            skip = true;
        }
        return new TestCase(file, kw.line(), name, autoConnect, expectFail, skip, block());
    }

    private Op.Block block() {
        if (!next().isChar('{')) {
            throw error(tokens.get(at - 1), "expected '{'");
        }
        skipNewlines();
        List<Op> ops = new ArrayList<>();
        while (!peek().isChar('}')) {
            ops.add(statement());
            if (peek().isChar('}')) {
                break;
            }
            expect(Kind.NEWLINE, "newline or '}'");
            skipNewlines();
        }
        at++;
        return new Op.Block(ops);
    }

    private Op statement() {
        Token t = peek();
        if (t.isChar('{')) {
            return block();
        }
        if (t.kind() != Kind.WORD) {
            throw error(t, "expected a statement, found " + t);
        }
        at++;
        switch (t.text()) {
            case "repeat":
                return new Op.Repeat((int) number("repeat count"), statement());
            case "random":
                return new Op.Random(block());
            case "call":
                String proc = string("procedure name");
                if (proc.equals(currentProc)) {
                    throw error(t, "recursive call to proc \"" + proc + "\"");
                }
                if (!procedures.containsKey(proc)) {
                    throw error(t, "call to undefined proc \"" + proc + "\"");
                }
                return new Op.Call(proc);
            case "noop":
                return new Op.Noop();
            case "sleep":
                return new Op.Sleep(number("duration in ms"));
            case "fail":
                return new Op.Fail(string("reason"));
            case "connect":
                return new Op.Connect(string("host"), port());
            case "disconnect":
                return new Op.Disconnect();
            case "starttls":
                return new Op.StartTls();
            case "write":
                return new Op.Write(string("data"));
            case "writeln":
                return new Op.Write(string("data") + "\r\n");
            case "expect":
                return expectation();
            default:
                throw error(t, "unknown statement " + t);
        }
    }

    private Op expectation() {
        Token t = next();
        if (t.isKeyword("disconnect")) {
            return new Op.ExpectDisconnect();
        }
        if (!t.isKeyword("smtp")) {
            throw error(t, "expected 'smtp' or 'disconnect' after expect");
        }
        Token q = peek();
        Expectation e = Expectation.ANY;
        if (q.kind() == Kind.WORD) {
            switch (q.text()) {
                case "ok" -> e = Expectation.OK;
                case "helo" -> e = Expectation.HELO;
                case "tempfail" -> e = Expectation.TEMPFAIL;
                case "permfail" -> e = Expectation.PERMFAIL;
                default -> throw error(q, "unknown reply class " + q);
            }
            at++;
        }
        return new Op.ExpectSmtp(e);
    }

    private int port() {
        if (!peek().isKeyword("port")) {
            return 25;
        }
        at++;
        Token t = next();
        if (t.kind() == Kind.NUMBER) {
            long p = t.text().length() > 6 ? -1 : Long.parseLong(t.text());
            if (p <= 0 || p >= 65535) {
                throw error(t, "invalid port: " + p);
            }
            return (int) p;
        }
        return switch (t.text()) { // the few services upstream's getservbyname would know here
            case "smtp" -> 25;
            case "submission" -> 587;
            case "smtps" -> 465;
            default -> throw error(t, "port " + t + " is invalid");
        };
    }

    private long number(String what) {
        Token t = next();
        if (t.kind() != Kind.NUMBER || t.text().startsWith("-") || t.text().length() > 9) {
            throw error(t, "expected " + what + " (0 to 999999999), found " + t);
        }
        return Long.parseLong(t.text());
    }

    /** Upstream's STRING: a quoted string, or a bare word that is not a keyword. */
    private String string(String what) {
        Token t = next();
        if (t.kind() == Kind.STRING || (t.kind() == Kind.WORD && !KEYWORDS.contains(t.text()))) {
            return t.text();
        }
        throw error(t, "expected " + what + ", found " + t);
    }

    private void keyword(String k) {
        Token t = next();
        if (!t.isKeyword(k)) {
            throw error(t, "expected '" + k + "', found " + t);
        }
    }

    private void expect(Kind kind, String what) {
        Token t = next();
        if (t.kind() != kind) {
            throw error(t, "expected " + what + ", found " + t);
        }
    }

    private void skipNewlines() {
        while (peek().kind() == Kind.NEWLINE) {
            at++;
        }
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token next() {
        Token t = tokens.get(at);
        if (t.kind() != Kind.EOF) {
            at++;
        }
        return t;
    }

    private ScriptSyntaxException error(Token t, String message) {
        return new ScriptSyntaxException(file, t.line(), message);
    }
}
