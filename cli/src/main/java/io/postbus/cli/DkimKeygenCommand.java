package io.postbus.cli;

import io.postbus.auth.dkim.KeyType;
import io.postbus.auth.dkim.keys.DkimKeyGenerator;
import io.postbus.core.config.ConfigException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code postbus dkim-keygen}: what {@code opendkim-genkey} does. Writes {@code <selector>.private}
 * (PKCS#8 PEM, mode 0600, never overwritten) and {@code <selector>.txt}, and prints the TXT record to
 * publish. The KeyTable and SigningTable lines that use the key go to standard error as a hint.
 */
@Command(name = "dkim-keygen", description = "Generate a DKIM key pair: write <selector>.private (0600) and print the DNS TXT record.")
final class DkimKeygenCommand implements Callable<Integer> {
    @Option(names = "--domain", required = true, description = "the signing domain (d=)")
    String domain;

    @Option(names = "--selector", required = true, description = "the selector (s=), e.g. 2026q1")
    String selector;

    @Option(names = "--type", defaultValue = "rsa", description = "rsa or ed25519 (default: ${DEFAULT-VALUE})")
    String type;

    @Option(names = "--bits", defaultValue = "2048", description = "RSA key size, at least 1024 (default: ${DEFAULT-VALUE})")
    int bits;

    @Option(names = {"-D", "--directory"}, defaultValue = ".", description = "where to write the files (default: ${DEFAULT-VALUE})")
    Path directory;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        KeyType keyType = KeyType.fromTag(type)
                .orElseThrow(() -> new ConfigException("--type must be rsa or ed25519, not " + type));
        if (!domain.matches("(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
            throw new ConfigException("--domain must be a domain name, not " + domain);
        }
        if (!selector.matches("(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw new ConfigException("--selector must be one or more DNS labels, not " + selector);
        }
        String d = domain.toLowerCase(Locale.ROOT);
        Files.createDirectories(directory);
        Path keyFile = directory.resolve(selector + ".private");
        var key = new DkimKeyGenerator().generate(keyType, bits, d, selector, keyFile);
        Files.writeString(directory.resolve(selector + ".txt"), key.zoneText(), StandardCharsets.US_ASCII);
        out.print(key.zoneText());
        err.println("wrote " + keyFile.toAbsolutePath() + " (mode 0600); publish the record above, then add");
        err.println("  KeyTable:     " + selector + "._domainkey." + d + " " + d + ":" + selector + ":" + keyFile.toAbsolutePath());
        err.println("  SigningTable: *@" + d + " " + selector + "._domainkey." + d + "   (with refile:)");
        return 0;
    }
}
