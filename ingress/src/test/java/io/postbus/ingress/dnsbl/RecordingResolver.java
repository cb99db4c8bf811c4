package io.postbus.ingress.dnsbl;

import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.DnsResult;
import io.postbus.core.dns.MxRecord;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * Wraps the real zone-file resolver to count A queries, to hang chosen names until released (a
 * server that never answers, for the deadline), and to throw for others (a resolver breaking its
 * contract).
 */
final class RecordingResolver implements DnsResolver {
    final List<String> aQueries = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    private final DnsResolver delegate;
    private final Set<String> hanging;
    private final Set<String> throwing;

    RecordingResolver(DnsResolver delegate, Set<String> hanging, Set<String> throwing) {
        this.delegate = delegate;
        this.hanging = hanging;
        this.throwing = throwing;
    }

    RecordingResolver(DnsResolver delegate) {
        this(delegate, Set.of(), Set.of());
    }

    @Override
    public DnsResult<List<InetAddress>> a(String name) {
        aQueries.add(name);
        if (throwing.contains(name)) {
            throw new IllegalStateException("resolver bug");
        }
        if (hanging.contains(name)) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return delegate.a(name);
    }

    @Override
    public DnsResult<List<String>> txt(String name) {
        return delegate.txt(name);
    }

    @Override
    public DnsResult<List<MxRecord>> mx(String name) {
        return delegate.mx(name);
    }

    @Override
    public DnsResult<List<InetAddress>> aaaa(String name) {
        return delegate.aaaa(name);
    }

    @Override
    public DnsResult<List<String>> ptr(InetAddress address) {
        return delegate.ptr(address);
    }
}
