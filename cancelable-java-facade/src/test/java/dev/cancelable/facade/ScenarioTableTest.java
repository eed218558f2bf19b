package dev.cancelable.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cancelable.OperationCanceledException;
import dev.cancelable.facade.ScenarioTable.Act;
import dev.cancelable.facade.ScenarioTable.CancelSelf;
import dev.cancelable.facade.ScenarioTable.CatchCancellation;
import dev.cancelable.facade.ScenarioTable.Expect;
import dev.cancelable.facade.ScenarioTable.Fail;
import dev.cancelable.facade.ScenarioTable.Mark;
import dev.cancelable.facade.ScenarioTable.Outcome;
import dev.cancelable.facade.ScenarioTable.Path;
import dev.cancelable.facade.ScenarioTable.Progress;
import dev.cancelable.facade.ScenarioTable.Return;
import dev.cancelable.facade.ScenarioTable.RunChild;
import dev.cancelable.facade.ScenarioTable.Scenario;
import dev.cancelable.facade.ScenarioTable.Sleep;
import dev.cancelable.facade.ScenarioTable.Spec;
import dev.cancelable.facade.ScenarioTable.Step;
import dev.cancelable.registry.OperationSnapshot;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One scenario table, every path: the suspend API (under virtual time), the future facade and the
 * blocking facade must give the same outcome, status, reason and callback sequence.
 */
@Timeout(20)
class ScenarioTableTest {
    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();

    @AfterAll
    static void stopExecutor() {
        EXECUTOR.shutdownNow();
    }

    static Stream<Arguments> rows() {
        return ScenarioTable.all().stream()
                .flatMap(s -> s.paths().stream().map(p -> Arguments.of(s, p)));
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("rows")
    void scenarioGivesTheSameOutcomeOnEveryPath(Scenario scenario, Path path) throws Exception {
        Spec spec = scenario.spec().get();
        Outcome outcome = switch (path) {
            case SUSPEND -> SuspendPath.run(spec);
            case FUTURE -> runFuture(spec);
            case BLOCKING -> runBlocking(spec);
        };
        check(scenario.expect(), spec, outcome);
        if (spec.token() != null) {
            assertEquals(0, Leaks.registrations(spec.token()), "the token holds no callback of the ended run");
        }
        if (path != Path.SUSPEND) {
            assertEquals(0, Leaks.pendingSharedTimers(), "no timer stays armed after the run");
        }
        assertTrue(!Thread.currentThread().isInterrupted(), "no interrupt leaks to the caller");
        assertNull(Cancelables.current(), "no operation stays current on the caller's thread");
    }

    private static void check(Expect expect, Spec spec, Outcome outcome) {
        assertEquals(0, outcome.registry.getActiveCount(), "nothing stays registered");
        if (expect.thrown != null) {
            assertNotNull(outcome.thrown, "expected " + expect.thrown.getSimpleName() + " but got value " + outcome.value);
            assertEquals(expect.thrown, outcome.thrown.getClass(), () -> "thrown: " + outcome.thrown);
            if (expect.sameFailure) {
                assertSame(spec.failure(), outcome.thrown);
            }
        } else {
            assertNull(outcome.thrown, () -> "unexpected " + outcome.thrown);
            assertEquals(expect.value, outcome.value);
        }
        OperationSnapshot self = outcome.snapshot(ScenarioTable.NAME);
        assertNotNull(self, "the run is in the history");
        assertEquals(expect.status, self.getStatus());
        assertEquals(expect.reason, self.getCancelReason());
        if (expect.message != null) {
            assertTrue(self.getCancelMessage().contains(expect.message), self.getCancelMessage());
        }
        if (expect.errorContains != null) {
            assertTrue(self.getError().contains(expect.errorContains), self.getError());
        }
        if (expect.childStatus != null) {
            OperationSnapshot child = outcome.snapshot(ScenarioTable.CHILD_NAME);
            assertNotNull(child, "the child run is in the history");
            assertEquals(expect.childStatus, child.getStatus());
            assertEquals(expect.childReason, child.getCancelReason());
            assertEquals(self.getId(), child.getParentId());
            if (expect.childMessage != null) {
                assertTrue(child.getCancelMessage().contains(expect.childMessage), child.getCancelMessage());
            }
        }
        assertEquals(expect.events, outcome.readableEvents());
    }

    // ---- the blocking facade -------------------------------------------------------------------

    private static Outcome runBlocking(Spec spec) {
        Outcome outcome = new Outcome();
        Operation op = operation(spec, ScenarioTable.NAME, "", outcome).build();
        try {
            outcome.value = op.call(ctx -> interpret(spec, spec.steps(), ctx, Path.BLOCKING, outcome));
        } catch (Throwable t) {
            outcome.thrown = t;
        }
        return outcome;
    }

    // ---- the future facade ---------------------------------------------------------------------

    private static Outcome runFuture(Spec spec) throws InterruptedException {
        Outcome outcome = new Outcome();
        Operation op = operation(spec, ScenarioTable.NAME, "", outcome).build();
        CompletableFuture<Object> future = op.supplyAsync(
                ctx -> interpret(spec, spec.steps(), ctx, Path.FUTURE, outcome), EXECUTOR);
        try {
            outcome.value = future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            outcome.thrown = e.getCause();
        } catch (OperationCanceledException e) {
            assertTrue(future.isCancelled(), "a future completed by a cancellation reports isCancelled()");
            outcome.thrown = e;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the future did not complete", e);
        }
        return outcome;
    }

    // ---- shared ----------------------------------------------------------------------------------

    private static OperationBuilder operation(Spec spec, String name, String prefix, Outcome outcome) {
        List<String> events = outcome.events;
        OperationBuilder b = Cancelables.operation(name).registry(outcome.registry)
                .onStart(c -> events.add(prefix + "start"))
                .onProgress(r -> events.add(prefix + "progress:" + r.getMessage() + "@" + r.getOperation().getId() + r.getMetadata()))
                .onCompleted(c -> events.add(prefix + "completed"))
                .onCanceled(c -> events.add(prefix + "canceled"))
                .onFailed((c, e) -> events.add(prefix + "failed:" + e.getClass().getSimpleName()));
        if (spec.timeout() != null) {
            b.timeout(spec.timeout());
        }
        if (spec.token() != null) {
            b.token(spec.token());
        }
        if (spec.condition() != null) {
            b.condition(spec.condition(), spec.checkInterval(), "cnt");
        }
        return b;
    }

    private static Object interpret(Spec spec, List<Step> steps, CancelableContext ctx, Path path, Outcome outcome)
            throws Exception {
        for (Step step : steps) {
            if (step instanceof Sleep s) {
                if (path == Path.BLOCKING) {
                    ctx.sleep(s.duration());
                } else {
                    Thread.sleep(s.duration().toMillis()); // the interrupt of a cancel wakes it
                }
            } else if (step instanceof Progress p) {
                ctx.reportProgress(p.message(), p.metadata());
            } else if (step instanceof Fail f) {
                throw f.exception();
            } else if (step instanceof Act a) {
                a.action().run();
            } else if (step instanceof CancelSelf) {
                ctx.cancel();
            } else if (step instanceof Mark m) {
                outcome.events.add("mark:" + m.label());
            } else if (step instanceof Return r) {
                return r.value();
            } else if (step instanceof CatchCancellation c) {
                try {
                    interpret(spec, List.of(c.inner()), ctx, path, outcome);
                } catch (OperationCanceledException | InterruptedException swallowed) {
                    // the task decides to carry on
                }
            } else if (step instanceof RunChild) {
                Spec child = spec.child();
                OperationBuilder b = operation(child, ScenarioTable.CHILD_NAME, "child.", outcome);
                if (path == Path.BLOCKING) {
                    // nested on the same thread: the running operation is the parent
                    b.build().call(c -> interpret(child, child.steps(), c, path, outcome));
                } else {
                    // another thread: the parent is explicit, and the parent waits for its child
                    b.parent(ctx).build().supplyAsync(c -> interpret(child, child.steps(), c, path, outcome), EXECUTOR)
                            .join();
                }
            } else {
                throw new UnsupportedOperationException(step + " has no " + path + " form");
            }
        }
        return null;
    }
}
