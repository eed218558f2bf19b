package dev.cancelable.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cancelable.Cancelable;
import dev.cancelable.CanceledManuallyException;
import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import dev.cancelable.OperationStatus;
import dev.cancelable.ProgressReport;
import dev.cancelable.facade.invocation.InvocationCanceledException;
import dev.cancelable.facade.invocation.Invocations;
import dev.cancelable.facade.invocation.NoInvocationContextException;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.source.TokenSource;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Touches every public method of the facade from Java, and checks that list is the whole public API. */
@Timeout(20)
class EveryPublicMethodTest {

    @Test
    void everyPublicFacadeMethodIsCallableFromJava() throws Exception {
        OperationRegistry registry = new OperationRegistry();
        CancellationToken token = new CancellationToken();
        List<String> events = new CopyOnWriteArrayList<>(); // async runs add theirs from other threads
        AtomicReference<ProgressReport> lastReport = new AtomicReference<>();

        // Cancelables and OperationBuilder
        OperationBuilder builder = Cancelables.operation("first")
                .name("every")
                .id("every-1")
                .timeout(Duration.ofSeconds(30))
                .token(token)
                .condition(() -> false, Duration.ofSeconds(1))
                .condition(() -> false, Duration.ofSeconds(1), "never")
                .source(new TokenSource(new CancellationToken()))
                .metadata("k", "v")
                .metadata(Map.of("k2", 2))
                .noRegistry()
                .registry(registry)
                .onStart(c -> events.add("start"))
                .onProgress(r -> {
                    lastReport.set(r);
                    events.add("progress:" + r.getMessage());
                })
                .onCompleted(c -> events.add("completed"))
                .onCanceled(c -> events.add("canceled"))
                .onFailed((c, e) -> events.add("failed"))
                .onFinished(c -> events.add("finished"))
                .interruptOnCancel(true);
        Operation op = builder.build();
        assertEquals("signals", Cancelables.operation("signals").signals("USR2").build().getName()); // not run: no handler

        // Operation
        assertEquals("every", op.getName());
        assertEquals(Duration.ofSeconds(30), op.getTimeout().orElseThrow());
        assertTrue(op.toString().contains("every"));
        Operation derived = op.toBuilder().id("every-2").build();

        AtomicReference<InvocationCanceledException> named = new AtomicReference<>();
        String value = op.call(ctx -> {
            // CancelableContext: the OperationContext getters
            assertEquals("every-1", ctx.getId());
            assertEquals("every", ctx.getName());
            assertEquals(OperationStatus.RUNNING, ctx.getStatus());
            assertNotNull(ctx.getStartTime());
            assertNull(ctx.getEndTime());
            assertNotNull(ctx.getDuration());
            assertFalse(ctx.isCanceled());
            assertNull(ctx.getCancelReason());
            assertNull(ctx.getCancelMessage());
            assertNull(ctx.getCanceledBy());
            assertNull(ctx.getError());
            assertNull(ctx.getPartialResult());
            assertEquals("v", ctx.getMetadata().get("k"));
            assertNull(ctx.getParentId());
            assertEquals(Set.of(), ctx.getChildIds());
            assertFalse(ctx.isShielded());
            // CancelableContext: its own methods
            assertEquals(ctx.getStartTime().plusSeconds(30), ctx.getDeadline().orElseThrow());
            ctx.throwIfCanceled();
            ctx.sleep(Duration.ofMillis(1));
            ctx.reportProgress("one");
            ctx.reportProgress("two", Map.of("n", 2));
            ctx.putMetadata("step", 3);
            assertEquals(3, ctx.snapshot().getMetadata().get("step"));
            Registration hook = ctx.onCancelRequested(e -> events.add("hook"));
            hook.close();
            assertEquals(ctx, Cancelables.current());
            assertEquals(ctx.hashCode(), Cancelables.requireCurrent().hashCode());
            assertTrue(ctx.toString().contains("every-1"));
            // Invocations, inside an invocation
            assertEquals("every-1", Invocations.currentId());
            assertFalse(Invocations.isCancelRequested());
            Invocations.raiseIfCancelRequested();
            Invocations.sleep(Duration.ofMillis(1));
            assertTrue(Invocations.requestCancel(registry, ctx.getId()));
            assertThrows(InvocationCanceledException.class, Invocations::raiseIfCancelRequested);
            named.set(new InvocationCanceledException("stop", Cancelable.current()));
            return "done";
        });
        assertEquals("done", value);
        assertEquals(List.of("start", "progress:one", "progress:two", "completed", "finished"), events);
        assertEquals("every-1", named.get().getOperationId());
        assertEquals(OperationStatus.COMPLETED, named.get().getSnapshot().getStatus());

        CompletableFuture<Integer> supplied = derived.supplyAsync(ctx -> 1);
        CompletableFuture<Integer> suppliedOn = derived.toBuilder().id("every-3").build()
                .supplyAsync(ctx -> 2, Cancelables.defaultExecutor());
        CompletableFuture<Void> ran = derived.toBuilder().id("every-4").build().runAsync(ctx -> { });
        CompletableFuture<Void> ranOn = derived.toBuilder().id("every-5").build()
                .runAsync(ctx -> { }, Runnable::run);
        CompletableFuture<String> composed = derived.toBuilder().id("every-6").build()
                .compose(ctx -> CompletableFuture.completedFuture("c"));
        assertEquals(1, supplied.get(10, TimeUnit.SECONDS));
        assertEquals(2, suppliedOn.get(10, TimeUnit.SECONDS));
        assertNull(ran.get(10, TimeUnit.SECONDS));
        assertNull(ranOn.get(10, TimeUnit.SECONDS));
        assertEquals("c", composed.get(10, TimeUnit.SECONDS));

        // the cancel methods of the context, and parent()
        assertThrows(CanceledManuallyException.class, () -> Cancelables.operation("parent").registry(registry).build()
                .call(parent -> Cancelables.operation("child").registry(registry).parent(parent).build().call(ctx -> {
                    assertTrue(ctx.cancel(CancellationReason.MANUAL, "first"));
                    assertFalse(ctx.cancel());
                    assertNotEquals(parent, ctx);
                    assertEquals(parent.getId(), ctx.getParentId());
                    ctx.throwIfCanceled();
                    return null;
                })));

        // Invocations outside any invocation, and its exceptions
        assertFalse(Invocations.requestCancel("nobody"));
        assertEquals("fake", Invocations.withFakeId(ctx -> "fake"));
        assertThrows(NoInvocationContextException.class, Invocations::currentId);
        InvocationCanceledException canceled = new InvocationCanceledException(null, null);
        assertEquals("The invocation was canceled", canceled.getMessage());
        assertNull(canceled.getOperationId());
        assertEquals("why", new NoInvocationContextException("why").getMessage());

        // the functional interfaces, called directly
        CancelableFunction<String, RuntimeException> function = ctx -> "f";
        CancelableRunnable<RuntimeException> runnable = ctx -> events.add("runnable");
        ProgressListener listener = r -> events.add("listener:" + r.getMessage());
        Registration registration = () -> events.add("closed");
        assertEquals("f", function.apply(null));
        runnable.run(null);
        listener.onProgress(lastReport.get());
        registration.close();
        assertEquals(List.of("runnable", "listener:two", "closed"), events.subList(events.size() - 3, events.size()));
        assertSame(Cancelables.defaultExecutor(), Cancelables.defaultExecutor());
        assertEquals(0, registry.getActiveCount());
    }

    /** If this fails, the public API changed: call the new method in the test above and list it here. */
    @Test
    void theTestAboveCoversTheWholePublicApi() throws Exception {
        Set<String> expected = new TreeSet<>(Arrays.asList(
                "Cancelables.current()", "Cancelables.defaultExecutor()", "Cancelables.operation(String)",
                "Cancelables.requireCurrent()",
                "Operation.call(CancelableFunction)", "Operation.compose(CancelableFunction)", "Operation.getName()",
                "Operation.getTimeout()", "Operation.runAsync(CancelableRunnable)",
                "Operation.runAsync(CancelableRunnable,Executor)", "Operation.supplyAsync(CancelableFunction)",
                "Operation.supplyAsync(CancelableFunction,Executor)", "Operation.toBuilder()", "Operation.toString()",
                "OperationBuilder.build()", "OperationBuilder.condition(BooleanSupplier,Duration)",
                "OperationBuilder.condition(BooleanSupplier,Duration,String)", "OperationBuilder.id(String)",
                "OperationBuilder.interruptOnCancel(boolean)", "OperationBuilder.metadata(Map)", "OperationBuilder.metadata(String,Object)",
                "OperationBuilder.name(String)", "OperationBuilder.noRegistry()", "OperationBuilder.onCanceled(Consumer)",
                "OperationBuilder.onCompleted(Consumer)", "OperationBuilder.onFailed(BiConsumer)", "OperationBuilder.onFinished(Consumer)",
                "OperationBuilder.onProgress(ProgressListener)", "OperationBuilder.onStart(Consumer)", "OperationBuilder.parent(CancelableContext)",
                "OperationBuilder.registry(OperationRegistry)", "OperationBuilder.signals(String[])", "OperationBuilder.source(CancellationSource)",
                "OperationBuilder.timeout(Duration)", "OperationBuilder.token(CancellationToken)",
                "CancelableContext.cancel()", "CancelableContext.cancel(CancellationReason,String)",
                "CancelableContext.equals(Object)", "CancelableContext.getCancelMessage()",
                "CancelableContext.getCancelReason()", "CancelableContext.getCanceledBy()", "CancelableContext.getDeadline()",
                "CancelableContext.getChildIds()", "CancelableContext.getDuration()", "CancelableContext.getEndTime()",
                "CancelableContext.getError()", "CancelableContext.getId()", "CancelableContext.getMetadata()",
                "CancelableContext.getName()", "CancelableContext.getParentId()", "CancelableContext.getPartialResult()",
                "CancelableContext.getStartTime()", "CancelableContext.getStatus()", "CancelableContext.hashCode()",
                "CancelableContext.isCanceled()", "CancelableContext.isShielded()",
                "CancelableContext.onCancelRequested(Consumer)", "CancelableContext.putMetadata(String,Object)",
                "CancelableContext.reportProgress(String)", "CancelableContext.reportProgress(String,Map)",
                "CancelableContext.sleep(Duration)", "CancelableContext.snapshot()", "CancelableContext.throwIfCanceled()",
                "CancelableContext.toString()",
                "CancelableFunction.apply(CancelableContext)", "CancelableRunnable.run(CancelableContext)",
                "ProgressListener.onProgress(ProgressReport)", "Registration.close()",
                "Invocations.currentId()", "Invocations.isCancelRequested()", "Invocations.raiseIfCancelRequested()",
                "Invocations.requestCancel(OperationRegistry,String)", "Invocations.requestCancel(String)",
                "Invocations.sleep(Duration)", "Invocations.withFakeId(CancelableFunction)",
                "InvocationCanceledException.<init>(String,Cancelable)", "NoInvocationContextException.<init>(String)"));
        Set<String> actual = new TreeSet<>();
        for (Class<?> type : ApiDumpTest.publicFacadeClasses()) {
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
                    actual.add(type.getSimpleName() + "." + m.getName() + params(m.getParameterTypes()));
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (Modifier.isPublic(c.getModifiers())) {
                    actual.add(type.getSimpleName() + ".<init>" + params(c.getParameterTypes()));
                }
            }
        }
        assertEquals(expected, actual);
    }

    private static String params(Class<?>[] types) {
        return Arrays.stream(types).map(Class::getSimpleName).collect(Collectors.joining(",", "(", ")"));
    }
}
