package dev.cancelable.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cancelable.CancelationReason;
import dev.cancelable.registry.OperationRegistry;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input is rejected at the call, naming the parameter, and leaves nothing registered. */
class ValidationTest {
    private static final OperationRegistry REGISTRY = new OperationRegistry();
    private static final Operation OP = Cancelables.operation("valid").registry(REGISTRY).build();
    private static final CancelableFunction<String> TASK = ctx -> "v";
    private static final BooleanSupplier NEVER = () -> false;
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @AfterEach
    void nothingRegistered() {
        assertEquals(0, REGISTRY.getActiveCount());
        assertEquals(List.of(), REGISTRY.history());
    }

    private static Operation.Builder b() {
        return Cancelables.operation().registry(REGISTRY);
    }

    static Stream<Arguments> nullArguments() {
        return Stream.of(
                Arguments.of("name", (Executable) () -> Cancelables.operation(null)),
                Arguments.of("name", (Executable) () -> b().name(null)),
                Arguments.of("id", (Executable) () -> b().id(null)),
                Arguments.of("timeout", (Executable) () -> b().timeout(null)),
                Arguments.of("token", (Executable) () -> b().token(null)),
                Arguments.of("condition", (Executable) () -> b().condition(null, ONE_SECOND)),
                Arguments.of("checkInterval", (Executable) () -> b().condition(NEVER, null)),
                Arguments.of("conditionName", (Executable) () -> b().condition(NEVER, ONE_SECOND, null)),
                Arguments.of("signals", (Executable) () -> b().signals((String[]) null)),
                Arguments.of("signals[1]", (Executable) () -> b().signals("INT", null)),
                Arguments.of("source", (Executable) () -> b().source(null)),
                Arguments.of("parent", (Executable) () -> b().parent(null)),
                Arguments.of("key", (Executable) () -> b().metadata(null, "v")),
                Arguments.of("value", (Executable) () -> b().metadata("k", null)),
                Arguments.of("metadata", (Executable) () -> b().metadata(null)),
                Arguments.of("registry", (Executable) () -> b().registry(null)),
                Arguments.of("callback", (Executable) () -> b().onStart(null)),
                Arguments.of("listener", (Executable) () -> b().onProgress(null)),
                Arguments.of("callback", (Executable) () -> b().onComplete(null)),
                Arguments.of("callback", (Executable) () -> b().onCancel(null)),
                Arguments.of("callback", (Executable) () -> b().onError(null)),
                Arguments.of("task", (Executable) () -> OP.call(null)),
                Arguments.of("task", (Executable) () -> OP.supplyAsync(null)),
                Arguments.of("executor", (Executable) () -> OP.supplyAsync(TASK, null)),
                Arguments.of("task", (Executable) () -> OP.runAsync(null)),
                Arguments.of("executor", (Executable) () -> OP.runAsync(ctx -> { }, null)),
                Arguments.of("task", (Executable) () -> OP.wrap(null)),
                Arguments.of("invocationId", (Executable) () -> Invocations.requestCancel(null)),
                Arguments.of("registry", (Executable) () -> Invocations.requestCancel(null, "id")),
                Arguments.of("invocationId", (Executable) () -> Invocations.requestCancel(REGISTRY, null)),
                Arguments.of("duration", (Executable) () -> Invocations.sleep(null)),
                Arguments.of("block", (Executable) () -> Invocations.withFakeId(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullArguments")
    void aNullArgumentFailsNamingTheParameter(String parameter, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(parameter, e.getMessage());
    }

    @Test
    void aNullArgumentToTheContextFailsNamingTheParameter() throws Exception {
        Cancelables.operation().noRegistry().build().call(ctx -> {
            Map<String, Executable> calls = Map.of(
                    "duration", () -> ctx.sleep(null),
                    "message", () -> ctx.reportProgress(null),
                    "metadata", () -> ctx.reportProgress("m", null),
                    "hook", () -> ctx.onCancel(null),
                    "reason", () -> ctx.cancel(null, "m"),
                    "key", () -> ctx.putMetadata(null, "v"),
                    "value", () -> ctx.putMetadata("k", null));
            calls.forEach((parameter, call) ->
                    assertEquals(parameter, assertThrows(NullPointerException.class, call).getMessage()));
            assertEquals("message", assertThrows(NullPointerException.class,
                    () -> ctx.cancel(CancelationReason.MANUAL, null)).getMessage());
            return null;
        });
    }

    static Stream<Arguments> badDurations() {
        Duration tooLong = ChronoUnit.FOREVER.getDuration();
        return Stream.of(
                Arguments.of("timeout", (Executable) () -> b().timeout(Duration.ZERO)),
                Arguments.of("timeout", (Executable) () -> b().timeout(Duration.ofMillis(-5))),
                Arguments.of("timeout", (Executable) () -> b().timeout(tooLong)),
                Arguments.of("checkInterval", (Executable) () -> b().condition(NEVER, Duration.ZERO)),
                Arguments.of("checkInterval", (Executable) () -> b().condition(NEVER, Duration.ofSeconds(-1))),
                Arguments.of("checkInterval", (Executable) () -> b().condition(NEVER, tooLong, "c")),
                Arguments.of("duration", (Executable) () -> Invocations.sleep(Duration.ofNanos(-1))),
                Arguments.of("name", (Executable) () -> Cancelables.operation(" ")),
                Arguments.of("id", (Executable) () -> b().id("")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badDurations")
    void aBadValueIsRejectedNamingTheParameter(String parameter, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(parameter + " "), e.getMessage());
    }

    @Test
    void aNegativeContextSleepIsRejectedNamingTheParameter() throws Exception {
        Cancelables.operation().noRegistry().build().call(ctx -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ctx.sleep(Duration.ofMillis(-1)));
            assertTrue(e.getMessage().startsWith("duration "), e.getMessage());
            ctx.sleep(Duration.ZERO); // zero only checks
            return null;
        });
    }

    @Test
    void anUnknownSignalIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> b().signals("NO_SUCH_SIGNAL"));
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
