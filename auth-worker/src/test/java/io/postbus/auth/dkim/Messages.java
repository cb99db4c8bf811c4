package io.postbus.auth.dkim;

import java.nio.charset.StandardCharsets;

/** Small messages for the unit tests, CRLF as ingress queues them. */
final class Messages {
    private Messages() {}

    static final String SIMPLE = """
            From: Joe SixPack <joe@football.example.com>\r
            To: Suzie Q <suzie@shopping.example.net>\r
            Subject: Is dinner ready?\r
            Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r
            Message-ID: <20030712040037.46341.5F8J@football.example.com>\r
            \r
            Hi.\r
            \r
            We lost the game.  Are you hungry yet?\r
            \r
            Joe.\r
            """;

    /** Folded headers, tabs and trailing white space: what relaxed canonicalization is for. */
    static final String UNTIDY = """
            Received: from mx.example.net by mx.example.org;\r
            \tFri, 11 Jul 2003 21:01:00 -0700\r
            From:   "Joe  SixPack"   <joe@football.example.com>  \r
            To: Suzie Q\r
             <suzie@shopping.example.net>\r
            Subject:\tIs dinner\t ready?\r
            Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r
            Message-ID: <20030712040037.46341.5F8J@football.example.com>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            Hi.  \t\r
            \r
            Caf\u00e9 at  eight?\r
            \r
            \r
            """;

    static byte[] bytes(String message) {
        return message.getBytes(StandardCharsets.UTF_8);
    }
}
