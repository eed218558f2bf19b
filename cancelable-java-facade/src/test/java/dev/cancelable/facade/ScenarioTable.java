package dev.cancelable.facade;

import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import dev.cancelable.OperationStatus;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.registry.OperationSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The behaviours every path must show alike, written once: how an operation is configured, what its
 * task does (as steps each path interprets in its own idiom), and what must come out.
 */
public final class ScenarioTable {
    private ScenarioTable() {
    }

    /** The three ways to run an operation. */
    enum Path { SUSPEND, FUTURE, BLOCKING }

    static final String NAME = "scenario";
    static final String CHILD_NAME = "scenario.child";
    /** Long enough that a sleep which is not canceled fails the test by its time-out, not by luck. */
    static final Duration FOREVER = Duration.ofSeconds(30);
    static final Duration SHORT = Duration.ofMillis(50);

    /** What one step of a task does. */
    public interface Step {
    }

    /** Sleeps: {@code ctx.sleep} on the blocking path, {@code Thread.sleep} on the future path, {@code delay} when suspending. */
    public record Sleep(Duration duration) implements Step {
    }

    public record Progress(String message, Map<String, Object> metadata) implements Step {
    }

    public record Fail(Exception exception) implements Step {
    }

    /** A side effect: cancel a token, move a counter. */
    public record Act(Runnable action) implements Step {
    }

    public record CancelSelf() implements Step {
    }

    /** Records {@code mark:<label>} in the events. */
    public record Mark(String label) implements Step {
    }

    public record Return(Object value) implements Step {
    }

    /** Runs {@code inner}, swallowing the cancellation it ends with. */
    public record CatchCancellation(Step inner) implements Step {
    }

    /** Runs the spec's child as a child operation and waits for it. */
    public record RunChild() implements Step {
    }

    /** Runs {@code steps} shielded from cancellation (suspend API only). */
    public record Shield(List<Step> steps) implements Step {
    }

    /** The configuration and task of one run; built fresh for every run, tokens and counters included. */
    public record Spec(Duration timeout, CancellationToken token, BooleanSupplier condition, Duration checkInterval,
                List<Step> steps, Spec child, Exception failure) {
        static Spec of(Step... steps) {
            return new Spec(null, null, null, null, List.of(steps), null, null);
        }

        Spec timeout(Duration d) {
            return new Spec(d, token, condition, checkInterval, steps, child, failure);
        }

        Spec token(CancellationToken t) {
            return new Spec(timeout, t, condition, checkInterval, steps, child, failure);
        }

        Spec condition(BooleanSupplier c, Duration interval) {
            return new Spec(timeout, token, c, interval, steps, child, failure);
        }

        Spec child(Spec c) {
            return new Spec(timeout, token, condition, checkInterval, steps, c, failure);
        }

        Spec failure(Exception e) {
            return new Spec(timeout, token, condition, checkInterval, steps, child, e);
        }
    }

    /** What one run produced. Filled by the path that ran it. */
    public static final class Outcome {
        Object value;
        Throwable thrown;
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final OperationRegistry registry = new OperationRegistry();

        OperationSnapshot snapshot(String name) {
            return registry.history().stream().filter(s -> s.getName().equals(name)).findFirst().orElse(null);
        }

        /** Events with progress ids replaced by {@code self} or {@code child}. */
        List<String> readableEvents() {
            OperationSnapshot self = snapshot(NAME);
            OperationSnapshot child = snapshot(CHILD_NAME);
            List<String> out = new ArrayList<>();
            synchronized (events) {
                for (String e : events) {
                    if (self != null) {
                        e = e.replace("@" + self.getId(), "@self");
                    }
                    if (child != null) {
                        e = e.replace("@" + child.getId(), "@child");
                    }
                    out.add(e);
                }
            }
            return out;
        }
    }

    /** What must come out, the same on every path it runs on. */
    static final class Expect {
        Class<? extends Throwable> thrown;
        boolean sameFailure;
        Object value;
        OperationStatus status;
        CancellationReason reason;
        String message;
        OperationStatus childStatus;
        CancellationReason childReason;
        String childMessage;
        List<String> events;
        String errorContains;

        static Expect threw(Class<? extends Throwable> type) {
            Expect e = new Expect();
            e.thrown = type;
            return e;
        }

        static Expect returned(Object value) {
            Expect e = new Expect();
            e.value = value;
            return e;
        }

        Expect sameFailure() {
            sameFailure = true;
            return this;
        }

        Expect status(OperationStatus s, CancellationReason r, String messageContains) {
            status = s;
            reason = r;
            message = messageContains;
            return this;
        }

        Expect child(OperationStatus s, CancellationReason r, String messageContains) {
            childStatus = s;
            childReason = r;
            childMessage = messageContains;
            return this;
        }

        Expect error(String contains) {
            errorContains = contains;
            return this;
        }

        Expect events(String... expected) {
            events = Arrays.asList(expected);
            return this;
        }
    }

    /** One row of the table. */
    public record Scenario(String name, Set<Path> paths, Supplier<Spec> spec, Expect expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Scenario> all() {
        Set<Path> every = EnumSet.allOf(Path.class);
        List<Scenario> rows = new ArrayList<>();

        rows.add(new Scenario("timeout cancels a sleeping task", every,
                () -> Spec.of(new Mark("before"), new Sleep(FOREVER), new Mark("after")).timeout(SHORT),
                Expect.threw(dev.cancelable.CanceledByTimeoutException.class)
                        .status(OperationStatus.CANCELED, CancellationReason.TIMEOUT, "timed out after 0.05s")
                        .events("start", "mark:before", "canceled")));

        rows.add(new Scenario("token canceled while the task runs", every, () -> {
            CancellationToken token = new CancellationToken();
            return Spec.of(new Act(() -> token.cancel(CancellationReason.MANUAL, "Test cancel")), new Sleep(FOREVER))
                    .token(token);
        }, Expect.threw(dev.cancelable.CanceledManuallyException.class)
                .status(OperationStatus.CANCELED, CancellationReason.MANUAL, "Test cancel")
                .events("start", "canceled")));

        rows.add(new Scenario("token canceled before the run keeps its reason", every, () -> {
            CancellationToken token = new CancellationToken();
            token.cancel(CancellationReason.SIGNAL, "sig");
            return Spec.of(new Sleep(FOREVER)).token(token);
        }, Expect.threw(dev.cancelable.CanceledBySignalException.class)
                .status(OperationStatus.CANCELED, CancellationReason.SIGNAL, "sig")
                .events("start", "canceled")));

        rows.add(new Scenario("condition cancels once it holds", every, () -> {
            int[] counter = {0};
            return Spec.of(new Act(() -> counter[0] = 5), new Sleep(FOREVER))
                    .condition(() -> counter[0] >= 5, Duration.ofMillis(10));
        }, Expect.threw(dev.cancelable.CanceledByConditionException.class)
                .status(OperationStatus.CANCELED, CancellationReason.CONDITION, "Condition 'cnt' met after")
                .events("start", "canceled")));

        rows.add(new Scenario("parent timeout cascades to its running child", every,
                () -> Spec.of(new RunChild(), new Mark("after child")).timeout(SHORT).child(Spec.of(new Sleep(FOREVER))),
                Expect.threw(dev.cancelable.CanceledByTimeoutException.class)
                        .status(OperationStatus.CANCELED, CancellationReason.TIMEOUT, "timed out")
                        .child(OperationStatus.CANCELED, CancellationReason.PARENT, "parent 'scenario'")
                        .events("start", "child.start", "child.canceled", "canceled")));

        rows.add(new Scenario("progress reaches the listener in order with the operation id", every,
                () -> Spec.of(new Progress("Step 1", Map.of()), new Progress("Step 2", Map.of("value", 42)),
                        new Return("done")),
                Expect.returned("done").status(OperationStatus.COMPLETED, null, null)
                        .events("start", "progress:Step 1@self{}", "progress:Step 2@self{value=42}", "completed")));

        rows.add(new Scenario("a child's progress bubbles to its parent", every,
                () -> Spec.of(new RunChild(), new Return("done")).child(Spec.of(new Progress("hello", Map.of()), new Return(1))),
                Expect.returned("done").status(OperationStatus.COMPLETED, null, null)
                        .child(OperationStatus.COMPLETED, null, null)
                        .events("start", "child.start", "child.progress:hello@child{}", "progress:hello@child{}",
                                "child.completed", "completed")));

        rows.add(new Scenario("the task's own exception leaves unchanged and fails the operation", every, () -> {
            IllegalStateException failure = new IllegalStateException("Test error");
            return Spec.of(new Fail(failure)).failure(failure);
        }, Expect.threw(IllegalStateException.class).sameFailure()
                .status(OperationStatus.FAILED, null, null).error("Test error")
                .events("start", "failed:IllegalStateException")));

        rows.add(new Scenario("a task that catches its timeout completes with the reason recorded", every,
                () -> Spec.of(new CatchCancellation(new Sleep(FOREVER)), new Return("survived")).timeout(SHORT),
                Expect.returned("survived").status(OperationStatus.COMPLETED, CancellationReason.TIMEOUT, "timed out")
                        .events("start", "completed")));

        rows.add(new Scenario("a task that cancels itself ends canceled with reason MANUAL", every,
                () -> Spec.of(new CancelSelf(), new Sleep(FOREVER)),
                Expect.threw(dev.cancelable.CanceledManuallyException.class)
                        .status(OperationStatus.CANCELED, CancellationReason.MANUAL, "canceled manually")
                        .events("start", "canceled")));

        // The facade runs tasks on threads, which a cancel interrupts; the core's shield exists for
        // suspend code only, so this row has no blocking or future path.
        rows.add(new Scenario("a shield finishes its block before the timeout lands", EnumSet.of(Path.SUSPEND),
                () -> Spec.of(new Shield(List.of(new Sleep(Duration.ofMillis(200)), new Mark("shield end"))),
                        new Mark("after shield")).timeout(Duration.ofMillis(100)),
                Expect.threw(dev.cancelable.CanceledByTimeoutException.class)
                        .status(OperationStatus.CANCELED, CancellationReason.TIMEOUT, "timed out")
                        .events("start", "mark:shield end", "canceled")));
        return rows;
    }
}
