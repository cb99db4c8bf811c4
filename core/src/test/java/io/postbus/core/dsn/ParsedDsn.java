package io.postbus.core.dsn;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.dsn.DeliveryStatus;
import org.eclipse.angus.mail.dsn.MultipartReport;

/**
 * A report read back with Angus Mail (the Jakarta Mail implementation) and its DSN handlers, so
 * the tests check what a real MIME parser sees, not what we think we wrote.
 */
final class ParsedDsn {
    final MimeMessage message;
    final MultipartReport report;
    final DeliveryStatus status;

    private ParsedDsn(MimeMessage message) throws MessagingException, IOException {
        this.message = message;
        this.report = (MultipartReport) message.getContent();
        this.status = report.getReport() instanceof DeliveryStatus d ? d : null;
    }

    static ParsedDsn parse(byte[] bytes) {
        try {
            return new ParsedDsn(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes)));
        } catch (MessagingException | IOException e) {
            throw new AssertionError("not a parsable multipart/report", e);
        }
    }

    String header(String name) throws MessagingException {
        return message.getHeader(name, null);
    }

    String messageField(String name) {
        return status.getMessageDSN().getHeader(name, null);
    }

    String recipientField(int i, String name) {
        return status.getRecipientDSN(i).getHeader(name, null);
    }

    int recipientCount() {
        return status.getRecipientDSNCount();
    }

    String text() throws MessagingException {
        return report.getText();
    }

    BodyPart part(int i) throws MessagingException {
        return ((Multipart) report).getBodyPart(i);
    }

    MimeMessage returned() throws MessagingException {
        return report.getReturnedMessage();
    }

    /**
     * Header blocks of a part read raw: the per-message block then one per recipient. For
     * message/global-delivery-status, which Angus Mail has no handler for.
     */
    static List<InternetHeaders> blocks(BodyPart part) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            List<InternetHeaders> blocks = new java.util.ArrayList<>();
            while (in.available() > 0) {
                InternetHeaders h = new InternetHeaders(in, true);
                if (!h.getAllHeaders().hasMoreElements()) {
                    break;
                }
                blocks.add(h);
            }
            return blocks;
        }
    }
}
