package io.postbus.auth.dmarc;

import io.postbus.auth.dmarc.AddressTokens.Token;
import io.postbus.auth.dmarc.AddressTokens.Type;
import io.postbus.auth.psl.DomainLabels;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the author domain(s) in a message's From field(s): RFC 5322 §3.4 mailbox-list with display
 * names, quoted strings, comments, angle-addr (with an obsolete route, §4.4), and groups (allowed
 * in From by RFC 6854). Pure; never throws; every outcome is an {@link AuthorDomains}.
 *
 * <p>Input is the unfolded value of each From field, in order (the text after {@code From:}).
 * Domains come back lower-cased as A-labels, so they compare with DKIM {@code d=} and SPF
 * domains. A mailbox at a domain literal has no DNS domain and is skipped; if every mailbox is
 * one, the outcome is {@link AuthorProblem#NO_DOMAIN}.
 */
public final class FromFieldParser {

    /** Control flow inside one field's parse; never escapes this class. */
    private static final class Syntax extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Syntax(String message) {
            super(message, null, false, false);
        }
    }

    private final List<Token> tokens;
    private int pos;

    private FromFieldParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    public static AuthorDomains parse(List<String> fromFieldValues) {
        if (fromFieldValues == null || fromFieldValues.isEmpty()) {
            return new AuthorDomains.Unusable(AuthorProblem.NO_FROM_FIELD, "the message has no From field");
        }
        if (fromFieldValues.size() > 1) {
            return new AuthorDomains.Unusable(AuthorProblem.MULTIPLE_FROM_FIELDS,
                    "the message has " + fromFieldValues.size() + " From fields");
        }
        String value = fromFieldValues.get(0);
        if (value == null) {
            return new AuthorDomains.Unusable(AuthorProblem.SYNTAX_ERROR, "no value");
        }
        AddressTokens.Result lexed = AddressTokens.tokenize(value);
        if (lexed.error().isPresent()) {
            return new AuthorDomains.Unusable(AuthorProblem.SYNTAX_ERROR, lexed.error().get());
        }
        List<Optional<String>> mailboxes = new ArrayList<>();
        try {
            FromFieldParser p = new FromFieldParser(lexed.tokens());
            p.mailboxList(false, mailboxes);
            if (p.pos < p.tokens.size()) {
                throw new Syntax("unexpected '" + p.tokens.get(p.pos).text() + "'");
            }
        } catch (Syntax e) {
            return new AuthorDomains.Unusable(AuthorProblem.SYNTAX_ERROR, e.getMessage());
        }
        if (mailboxes.isEmpty()) {
            return new AuthorDomains.Unusable(AuthorProblem.NO_MAILBOX, "the From field holds no mailbox");
        }
        Set<String> domains = new LinkedHashSet<>();
        for (Optional<String> domain : mailboxes) {
            if (domain.isPresent()) {
                Optional<String> ascii = DomainLabels.toAscii(domain.get());
                if (ascii.isEmpty()) {
                    return new AuthorDomains.Unusable(AuthorProblem.SYNTAX_ERROR, "not a domain name: " + domain.get());
                }
                domains.add(ascii.get());
            }
        }
        if (domains.isEmpty()) {
            return new AuthorDomains.Unusable(AuthorProblem.NO_DOMAIN, "every mailbox is at a domain literal");
        }
        return domains.size() == 1 ? new AuthorDomains.Single(domains.iterator().next())
                : new AuthorDomains.Multiple(List.copyOf(domains));
    }

    /** mailbox-list, or group-list inside a group; empty elements tolerated (obs-mbox-list, §4.4). */
    private void mailboxList(boolean inGroup, List<Optional<String>> out) {
        while (pos < tokens.size()) {
            Type t = peek();
            if (t == Type.COMMA) {
                pos++;
                continue;
            }
            if (inGroup && t == Type.SEMI) {
                return;
            }
            address(inGroup, out);
            if (pos < tokens.size() && peek() != Type.COMMA && !(inGroup && peek() == Type.SEMI)) {
                throw new Syntax("expected ',' after an address, found '" + tokens.get(pos).text() + "'");
            }
        }
    }

    /** A mailbox (name-addr or addr-spec) or, outside a group, a group. */
    private void address(boolean inGroup, List<Optional<String>> out) {
        int start = pos;
        while (pos < tokens.size() && isPhrasePart(peek())) {
            pos++;
        }
        Type next = pos < tokens.size() ? peek() : null;
        if (next == Type.LT) {
            pos++;
            out.add(angleAddr());
        } else if (next == Type.COLON) {
            if (inGroup) {
                throw new Syntax("group inside a group");
            }
            if (pos == start) {
                throw new Syntax("group without a display name");
            }
            pos++;
            mailboxList(true, out);
            expect(Type.SEMI, "a group must end with ';'");
        } else if (next == Type.AT) {
            if (pos == start) {
                throw new Syntax("address without a local part");
            }
            pos++;
            out.add(domain());
        } else {
            throw new Syntax(pos == start && next != null ? "unexpected '" + tokens.get(pos).text() + "'"
                    : "a display name or word without an address");
        }
    }

    /** After '<': [obs-route] addr-spec '>'. */
    private Optional<String> angleAddr() {
        if (pos < tokens.size() && peek() == Type.AT) {
            // obs-route: "@a.example,@b.example:" before the addr-spec; the route is ignored (§4.4).
            while (pos < tokens.size() && peek() == Type.AT) {
                pos++;
                domain();
                while (pos < tokens.size() && peek() == Type.COMMA) {
                    pos++;
                }
            }
            expect(Type.COLON, "a route must end with ':'");
        }
        int start = pos;
        while (pos < tokens.size() && isPhrasePart(peek())) {
            pos++;
        }
        if (pos == start) {
            throw new Syntax("empty angle address");
        }
        expect(Type.AT, "an address needs '@'");
        Optional<String> domain = domain();
        expect(Type.GT, "missing '>'");
        return domain;
    }

    /** dot-atom or domain-literal; empty for a literal. */
    private Optional<String> domain() {
        if (pos < tokens.size() && peek() == Type.LITERAL) {
            pos++;
            return Optional.empty();
        }
        StringBuilder d = new StringBuilder(atom());
        while (pos < tokens.size() && peek() == Type.DOT) {
            pos++;
            d.append('.').append(atom());
        }
        return Optional.of(d.toString());
    }

    private String atom() {
        if (pos >= tokens.size() || peek() != Type.ATOM) {
            throw new Syntax("expected a domain label");
        }
        return tokens.get(pos++).text();
    }

    private void expect(Type type, String message) {
        if (pos >= tokens.size() || peek() != type) {
            throw new Syntax(message);
        }
        pos++;
    }

    private Type peek() {
        return tokens.get(pos).type();
    }

    /** Words of a display name or local part; '.' too (obs-phrase, obs-local-part). */
    private static boolean isPhrasePart(Type t) {
        return t == Type.ATOM || t == Type.QUOTED || t == Type.DOT;
    }
}
