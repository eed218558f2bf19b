/**
 * The Java facade of cancelable: operations shaped for blocking callers, {@code CompletableFuture}
 * and {@code java.time.Duration}, with no Kotlin type in sight.
 *
 * <pre>{@code
 * Operation fetch = Cancelables.operation("fetch")
 *         .timeout(Duration.ofSeconds(5))
 *         .token(stopButton)
 *         .onProgress(p -> log.info("{}", p.getMessage()))
 *         .build();
 *
 * String page = fetch.call(ctx -> blockingFetch(ctx));                       // this thread
 * CompletableFuture<String> later = fetch.supplyAsync(ctx -> blockingFetch(ctx), pool);
 * CompletableFuture<HttpResponse<String>> r =
 *         fetch.compose(ctx -> http.sendAsync(request, BodyHandlers.ofString())); // no thread blocked
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.cancelable.facade.Cancelables} builds an immutable
 *       {@link dev.cancelable.facade.Operation}; each run of it is a new operation of the core, with
 *       its status, reason, snapshots and place in the registry.
 *   <li>A task is one functional shape, {@link dev.cancelable.facade.CancelableFunction}, which
 *       receives the running operation's {@link dev.cancelable.facade.CancelableContext} and may throw
 *       (its checked exception is inferred, so {@code call} declares exactly what the task throws).
 *   <li>{@code call} blocks the calling thread and nothing else; a cancel interrupts it (unless the
 *       interrupt policy is off), an interrupt from elsewhere is a MANUAL cancel whose flag is set
 *       again, and the task's own exception leaves unwrapped.
 *   <li>{@code supplyAsync}/{@code runAsync} return a future wired both ways: canceling or completing
 *       the future cancels the operation; the operation's outcome completes the future, a cancellation
 *       as the typed {@link dev.cancelable.OperationCanceledException} (so {@code isCancelled()} is true).
 *   <li>{@code compose} runs an operation around a {@code CompletionStage} and cancels the stage with it.
 *   <li>{@link dev.cancelable.facade.invocation.Invocations} gives blocking actions an invocation id
 *       and a resettable cancel request, the model of lab-automation servers.
 * </ul>
 *
 * <p>Tokens, registries, snapshots, sources and the exception family are the core's own classes
 * ({@code dev.cancelable}, {@code dev.cancelable.registry}, {@code dev.cancelable.source}), usable from
 * Java as they are. {@code dev.cancelable.facade.internal} is not API.
 */
package dev.cancelable.facade;
