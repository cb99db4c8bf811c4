package io.postbus.delivery.smtp;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.IntFunction;

/** The few helpers the asynchronous session needs on top of {@link CompletableFuture}. */
public final class Async {

    private Async() {
    }

    static <T> CompletionStage<T> failed(Throwable e) {
        return CompletableFuture.failedFuture(e);
    }

    static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /** The failure itself, without the {@link CompletionException} wrappers stages add. */
    public static Throwable cause(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Runs {@code step(0)}, {@code step(1)}, ... up to {@code count - 1}, each after the previous
     * one's stage completed, until a step answers false or fails. Steps whose stages are already
     * complete (replies that arrived together, buffered) run in a plain loop, not as nested
     * callbacks, so a thousand pipelined RCPT replies do not grow the stack a thousand frames.
     */
    static CompletionStage<Void> loop(int count, IntFunction<CompletionStage<Boolean>> step) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        new Object() {
            void from(int start) {
                for (int i = start; i < count; i++) {
                    CompletableFuture<Boolean> s;
                    try {
                        s = step.apply(i).toCompletableFuture();
                    } catch (RuntimeException e) {
                        done.completeExceptionally(e);
                        return;
                    }
                    if (!s.isDone()) {
                        int next = i + 1;
                        s.whenComplete((more, e) -> {
                            if (e != null) {
                                done.completeExceptionally(cause(e));
                            } else if (more) {
                                from(next);
                            } else {
                                done.complete(null);
                            }
                        });
                        return;
                    }
                    if (s.isCompletedExceptionally()) {
                        s.whenComplete((more, e) -> done.completeExceptionally(cause(e)));
                        return;
                    }
                    if (!s.join()) {
                        break;
                    }
                }
                done.complete(null);
            }
        }.from(0);
        return done;
    }
}
