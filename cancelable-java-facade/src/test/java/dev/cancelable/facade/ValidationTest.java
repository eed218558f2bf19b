package dev.cancelable.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cancelable.CancellationReason;
import dev.cancelable.facade.invocation.Invocations;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.testing.BadInputLedger;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The facade's bad-input table: null arguments, bad {@code java.time.Duration}s, blank names,
 * unknown signals and overlapping runs are rejected at the call, naming the parameter, and leave
 * nothing registered. {@code BadInputLedger} (in the core's tests) says which entry points this table
 * covers; a test below holds the two together.
 */
class ValidationTest {
    private static final OperationRegistry REGISTRY = new OperationRegistry();
    private static final Operation OP = Cancelables.operation("valid").registry(REGISTRY).build();
    private static final CancelableFunction<String, RuntimeException> TASK = ctx -> "v";
    private static final BooleanSupplier NEVER = () -> false;
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @AfterEach
    void nothingRegistered() {
        assertEquals(0, REGISTRY.getActiveCount());
        assertEquals(List.of(), REGISTRY.history());
    }

    private static OperationBuilder b() {
        return Cancelables.operation("operation").registry(REGISTRY);
    }

    static Stream<Arguments> nullArguments() {
        return Stream.of(
                Arguments.of("name", "Cancelables.operation", (Executable) () -> Cancelables.operation(null)),
                Arguments.of("name", "OperationBuilder.name", (Executable) () -> b().name(null)),
                Arguments.of("id", "OperationBuilder.id", (Executable) () -> b().id(null)),
                Arguments.of("timeout", "OperationBuilder.timeout", (Executable) () -> b().timeout(null)),
                Arguments.of("token", "OperationBuilder.token", (Executable) () -> b().token(null)),
                Arguments.of("condition", "OperationBuilder.condition", (Executable) () -> b().condition(null, ONE_SECOND)),
                Arguments.of("checkInterval", "OperationBuilder.condition", (Executable) () -> b().condition(NEVER, null)),
                Arguments.of("conditionName", "OperationBuilder.condition", (Executable) () -> b().condition(NEVER, ONE_SECOND, null)),
                Arguments.of("signals", "OperationBuilder.signals", (Executable) () -> b().signals((String[]) null)),
                Arguments.of("signals[1]", "OperationBuilder.signals", (Executable) () -> b().signals("INT", null)),
                Arguments.of("source", "OperationBuilder.source", (Executable) () -> b().source(null)),
                Arguments.of("parent", "OperationBuilder.parent", (Executable) () -> b().parent(null)),
                Arguments.of("key", "OperationBuilder.metadata", (Executable) () -> b().metadata(null, "v")),
                Arguments.of("value", "OperationBuilder.metadata", (Executable) () -> b().metadata("k", null)),
                Arguments.of("metadata", "OperationBuilder.metadata", (Executable) () -> b().metadata(null)),
                Arguments.of("registry", "OperationBuilder.registry", (Executable) () -> b().registry(null)),
                Arguments.of("callback", "OperationBuilder.onStart", (Executable) () -> b().onStart(null)),
                Arguments.of("listener", "OperationBuilder.onProgress", (Executable) () -> b().onProgress(null)),
                Arguments.of("callback", "OperationBuilder.onCompleted", (Executable) () -> b().onCompleted(null)),
                Arguments.of("callback", "OperationBuilder.onCanceled", (Executable) () -> b().onCanceled(null)),
                Arguments.of("callback", "OperationBuilder.onFailed", (Executable) () -> b().onFailed(null)),
                Arguments.of("callback", "OperationBuilder.onFinished", (Executable) () -> b().onFinished(null)),
                Arguments.of("task", "Operation.call", (Executable) () -> OP.call(null)),
                Arguments.of("task", "Operation.supplyAsync", (Executable) () -> OP.supplyAsync(null)),
                Arguments.of("executor", "Operation.supplyAsync", (Executable) () -> OP.supplyAsync(TASK, null)),
                Arguments.of("task", "Operation.runAsync", (Executable) () -> OP.runAsync(null)),
                Arguments.of("executor", "Operation.runAsync", (Executable) () -> OP.runAsync(ctx -> { }, null)),
                Arguments.of("task", "Operation.compose", (Executable) () -> OP.compose(null)),
                Arguments.of("invocationId", "Invocations.requestCancel", (Executable) () -> Invocations.requestCancel(null)),
                Arguments.of("registry", "Invocations.requestCancel", (Executable) () -> Invocations.requestCancel(null, "id")),
                Arguments.of("invocationId", "Invocations.requestCancel", (Executable) () -> Invocations.requestCancel(REGISTRY, null)),
                Arguments.of("duration", "Invocations.sleep", (Executable) () -> Invocations.sleep(null)),
                Arguments.of("block", "Invocations.withFakeId", (Executable) () -> Invocations.withFakeId(null)));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("nullArguments")
    void aNullArgumentFailsNamingTheParameter(String parameter, String entry, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(parameter, e.getMessage());
    }

    /** The context's entry points, by parameter, called on {@code ctx} with a null there. */
    private static List<Arguments> contextNulls(CancelableContext ctx) {
        return List.of(
                Arguments.of("duration", "CancelableContext.sleep", (Executable) () -> ctx.sleep(null)),
                Arguments.of("message", "CancelableContext.reportProgress", (Executable) () -> ctx.reportProgress(null)),
                Arguments.of("metadata", "CancelableContext.reportProgress", (Executable) () -> ctx.reportProgress("m", null)),
                Arguments.of("hook", "CancelableContext.onCancelRequested", (Executable) () -> ctx.onCancelRequested(null)),
                Arguments.of("reason", "CancelableContext.cancel", (Executable) () -> ctx.cancel(null, "m")),
                Arguments.of("message", "CancelableContext.cancel", (Executable) () -> ctx.cancel(CancellationReason.MANUAL, null)),
                Arguments.of("key", "CancelableContext.putMetadata", (Executable) () -> ctx.putMetadata(null, "v")),
                Arguments.of("value", "CancelableContext.putMetadata", (Executable) () -> ctx.putMetadata("k", null)));
    }

    @Test
    void aNullArgumentToTheContextFailsNamingTheParameter() throws Exception {
        Cancelables.operation("operation").noRegistry().build().call(ctx -> {
            for (Arguments row : contextNulls(ctx)) {
                Object[] args = row.get();
                assertEquals(args[0], assertThrows(NullPointerException.class, (Executable) args[2]).getMessage(), (String) args[1]);
            }
            assertFalse(ctx.isCanceled(), "no bad call canceled the run");
            return null;
        });
    }

    static Stream<Arguments> badDurations() {
        Duration tooLong = ChronoUnit.FOREVER.getDuration();
        return Stream.of(
                Arguments.of("checkInterval", "OperationBuilder.condition", (Executable) () -> b().condition(NEVER, Duration.ZERO)),
                Arguments.of("checkInterval", "OperationBuilder.condition", (Executable) () -> b().condition(NEVER, Duration.ofSeconds(-1))),
                Arguments.of("checkInterval", "OperationBuilder.condition", (Executable) () -> b().condition(NEVER, tooLong, "c")),
                Arguments.of("duration", "Invocations.sleep", (Executable) () -> Invocations.sleep(Duration.ofNanos(-1))),
                Arguments.of("name", "Cancelables.operation", (Executable) () -> Cancelables.operation(" ")),
                Arguments.of("id", "OperationBuilder.id", (Executable) () -> b().id("")));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badDurations")
    void aBadValueIsRejectedNamingTheParameter(String parameter, String entry, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(parameter + " "), e.getMessage());
    }

    @Test
    void aNegativeContextSleepIsRejectedNamingTheParameter() throws Exception {
        Cancelables.operation("operation").noRegistry().build().call(ctx -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ctx.sleep(Duration.ofMillis(-1)));
            assertTrue(e.getMessage().startsWith("duration "), e.getMessage());
            ctx.sleep(Duration.ZERO); // zero only checks
            return null;
        });
    }

    @Test
    void anUnknownSignalIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b().signals("NO_SUCH_SIGNAL"));
        assertTrue(e.getMessage().startsWith("signals: "), e.getMessage());
    }

    @Test
    void aRunOverlappingAnotherWithTheSameFixedIdIsRefusedNamingTheIdAndRegistersNothing() throws Exception {
        OperationRegistry own = new OperationRegistry();
        Operation fixed = Cancelables.operation("fixed").id("job-7").registry(own).build();
        IllegalStateException e = fixed.call(outer -> assertThrows(IllegalStateException.class, () -> fixed.call(inner -> "never")));
        assertTrue(e.getMessage().contains("'job-7'"), e.getMessage());
        assertEquals(0, own.getActiveCount());
        assertEquals(1, own.history().size(), "only the first run was recorded");
        assertEquals("job-7", own.history().get(0).getId());
    }

    /** The entry points each row above exercises. */
    private static Set<String> entriesWithRows() throws Exception {
        Set<String> entries = new TreeSet<>();
        Stream.concat(nullArguments(), badDurations()).forEach(row -> entries.add((String) row.get()[1]));
        Cancelables.operation("operation").noRegistry().build().call(ctx -> {
            contextNulls(ctx).forEach(row -> entries.add((String) row.get()[1]));
            return null;
        });
        entries.add("OperationBuilder.signals"); // anUnknownSignalIsRejected
        entries.add("Operation.call"); // aRunOverlappingAnotherWithTheSameFixedId...
        return entries;
    }

    @Test
    void everyFacadeEntryPointTheLedgerListsForThisTableHasRowsHere() throws Exception {
        Set<String> claimed = new TreeSet<>();
        BadInputLedger.INSTANCE.getEntries().forEach((key, coverage) -> {
            if (coverage.getJavaTable()) {
                claimed.add(key);
            }
        });
        assertEquals(claimed, entriesWithRows());
    }

    @Test
    void aRejectedRunCreatesNoOperation() {
        assertThrows(NullPointerException.class, () -> OP.call(null));
        CompletableFuture<?>[] none = new CompletableFuture<?>[1];
        assertThrows(NullPointerException.class, () -> none[0] = OP.supplyAsync(TASK, null));
        assertEquals(null, none[0]);
        // nothingRegistered() checks the registry
    }
}
