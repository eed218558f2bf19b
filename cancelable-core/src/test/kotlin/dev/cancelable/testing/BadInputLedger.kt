package dev.cancelable.testing

/**
 * Where each public entry point that takes input (every member with parameters, and every
 * constructor, of the three API dumps) is checked against bad input, or why it is left out.
 *
 * - `kotlinTable`: rows of the core's `BadInputTableTest` (durations, intervals, empty collections,
 *   sizes below 1, unknown names, running again);
 * - `javaTable`: rows of the facade's `ValidationTest` (Java nulls, bad `java.time.Duration`s, blank
 *   names, overlapping runs);
 * - `nullsFromJava`: the core's `JavaNullsTest`, which passes null from Java to every non-null
 *   reference parameter of the Kotlin API;
 * - otherwise `note` says why nothing can be bad (a callback users implement, a plain value, an
 *   optional filter, a service-provider method the library itself calls), or which test of its
 *   own checks what can.
 *
 * Tests check that this ledger lists exactly the dumps' entry points, and that each test covers
 * exactly the entries claimed for it.
 */
object BadInputLedger {
    class Coverage(val kotlinTable: Boolean, val javaTable: Boolean, val nullsFromJava: Boolean, val note: String)

    private val list = LinkedHashMap<String, Coverage>()

    /** Table rows in Kotlin, plus Java nulls. */
    private fun k(key: String, note: String, nulls: Boolean = true) { list[key] = Coverage(true, false, nulls, note) }

    /** Java nulls only: every parameter is a reference that must not be null, nothing else can be bad. */
    private fun n(key: String, note: String = "references only") { list[key] = Coverage(false, false, true, note) }

    /** The facade's table (Java). */
    private fun j(key: String, note: String) { list[key] = Coverage(false, true, false, note) }

    /** Left out, and why. */
    private fun x(key: String, why: String, nulls: Boolean = false) { list[key] = Coverage(false, false, nulls, why) }

    init {
        // ---- core: operations ------------------------------------------------------------------------
        k("CancelableKt.Cancelable", "blank id; any timeout is valid: zero or negative has expired, infinite is none")
        k("Cancelable.run", "run after it finished, and inside its own run (suspending: not callable from Java)", nulls = false)
        k("Cancelable.runOrNull", "run after it finished (suspending)", nulls = false)
        k("Cancelable.callBlocking", "call after it finished, and inside its own call")
        n("Cancelable.cancel", "cancel after it finished: refused (returns false), by design")
        n("Cancelable.combine", "no others makes a combined copy, by design")
        n("Cancelable.onCancelRequested", "after the end it does nothing, by design")
        n("Cancelable.onStart", "callbacks added after the end never run, by design")
        n("Cancelable.onProgress")
        n("Cancelable.onCompleted")
        n("Cancelable.onCanceled")
        n("Cancelable.onFailed")
        n("Cancelable.onFinished")
        n("Cancelable.putMetadata", "a null value is allowed (metadata values are nullable)")
        x("Cancelable.reportProgress", "suspending (not callable from Java); after the end it does nothing, by design")
        n("Cancelable.reportProgressBlocking", "after the end it does nothing, by design")
        x("Cancelable.setPartialResult", "any value, null included")
        x("OperationScope.reportProgress", "suspending (not callable from Java); the same as Cancelable.reportProgress")
        x("OperationScope.shield", "suspending; only callable inside the running block, so the operation cannot have finished")
        x("InterruptibleKt.interruptible", "suspending; only callable inside the running block, so the operation cannot have finished")
        x("WithCancelableKt.withCancelable", "suspending (not callable from Java); an operation that has ended is refused with IllegalStateException")
        x("CurrentOperationKt.currentOperation", "suspending, no input")
        n("WrapKt.wrap", "a wrapper called after the end runs (the operation was not canceled), by design")

        // ---- core: tokens, exceptions, models -------------------------------------------------------
        n("CancellationToken.<init>", "the clock")
        k("CancellationToken.linked", "no parents; a null parent from Java")
        n("CancellationToken.onCancelRequested", "on a canceled token the callback runs at once, by design")
        n("CancellationToken.cancel", "a second cancel: refused (returns false), by design")
        x("CancellationToken.awaitCancel", "suspending, no input")
        x("CancellationCallback.onCancelRequested", "implemented by users; the token calls it")
        n("OperationCanceledException.<init>", "the reason; message and operation may be null")
        x("CanceledManuallyException.<init>", "every argument is optional (null gives the default message)")
        x("CanceledByTimeoutException.<init>", "every argument is optional")
        x("CanceledBySignalException.<init>", "every argument is optional")
        x("CanceledByConditionException.<init>", "every argument is optional")
        x("CanceledByParentException.<init>", "every argument is optional")
        k("CancellationReason.fromValue", "an unknown value")
        x("CancellationReason.valueOf", "generated by the compiler for the enum; an unknown name throws IllegalArgumentException")
        k("OperationStatus.fromValue", "an unknown value")
        x("OperationStatus.valueOf", "generated by the compiler for the enum")
        x("OperationSnapshot.equals", "any object, null included")
        x("PartialResult.<init>", "a value the library builds; any count and buffer are kept as given")
        x("PartialResult.equals", "any object, null included")

        // ---- core: sources -------------------------------------------------------------------------
        n("TimeoutSource.<init>", "any timeout is valid: zero or negative has expired, infinite (or too long for java.time) is none")
        k("ConditionSource.<init>", "zero, negative, infinite checkInterval; java.time: zero, negative, too long")
        k("ResourceSource.<init>", "no threshold; thresholds NaN, infinite, zero, negative, over 100; bad checkInterval")
        k("SignalSource.<init>", "unknown and uncatchable signals; none means INT and TERM by design")
        k("AnyOfSource.<init>", "no sources")
        k("AllOfSource.<init>", "no sources")
        n("TokenSource.<init>")
        x("CancellationSource.<init>", "abstract: runs only under a subclass's constructor, whose own checks (TokenSource, TimeoutSource, ...) are covered")
        n("CancellationSource.fire", "for source authors: scope and reason")
        n("CancellationSource.attach", "called by the library with its own scope")
        n("TimeoutSource.attach", "called by the library with its own scope")
        n("ConditionSource.attach", "called by the library with its own scope")
        n("ResourceSource.attach", "called by the library with its own scope")
        n("SignalSource.attach", "called by the library with its own scope")
        n("AnyOfSource.attach", "called by the library with its own scope")
        n("AllOfSource.attach", "called by the library with its own scope")
        n("TokenSource.attach", "called by the library with its own scope")
        n("SourceScope.fire", "for source authors: source and reason")
        x(
            "SourceScope.invokeAfter",
            "for source authors; a delay already past (zero, negative) runs the action at once and an infinite one never, as kotlinx's delay does, so a deadline computed late still works",
            nulls = true,
        )
        x("ResourceReaders.<init>", "every reader is optional (null means the platform default)")
        n("ResourceReaders.diskSpace", "a path that does not exist reads as unknown (NaN) and never fires, by design")

        // ---- core: registry ------------------------------------------------------------------------
        n("OperationRegistry.<init>", "the clock; a negative historyLimit or historyBufferLimit, or an eventBuffer below 1, is rejected naming it (OperationRegistryTest, HistoryPayloadTest)")
        k("OperationRegistry.history", "negative limit; any filter is valid")
        n("OperationRegistry.list", "any filter is valid; any pattern is a valid glob")
        n("OperationRegistry.cancelAll", "a filter is required (OperationFilter.ALL for all); its bad ages are the filter's")
        k("OperationRegistry.cleanupCompleted", "negative olderThan; null means all", nulls = false)
        n("OperationRegistry.exposeJmx", "a blank name is rejected naming it (RegistryJmxTest)")
        n("OperationRegistry.cancel", "an unknown id returns false, by design")
        n("OperationRegistry.get", "an unknown id returns null")
        n("OperationRegistry.addListener")
        k("OperationFilter.<init>", "negative minAge or maxAge; every criterion is optional", nulls = false)
        n("OperationFilter\$Builder.status")
        n("OperationFilter\$Builder.namePattern", "any pattern is a valid glob")
        n("OperationFilter\$Builder.parentId")
        n("OperationFilter\$Builder.minAge", "a negative age is rejected by build(), as by the constructor")
        n("OperationFilter\$Builder.maxAge", "a negative age is rejected by build(), as by the constructor")
        n("OperationFilter\$Builder.endedSince")
        n("OperationFilter\$Builder.predicate")
        x("OperationListener.onStarted", "implemented by users; the registry calls it")
        x("OperationListener.onProgress", "implemented by users; the registry calls it")
        x("OperationListener.onFinished", "implemented by users; the registry calls it")

        // ---- flows ---------------------------------------------------------------------------------
        k("FlowsKt.cancelable", "reportInterval and bufferLimit below 1; collected outside any operation; collected after the end it passes its items, by design")
        k("FlowsKt.cancelableChunks", "size and bufferLimit below 1")
        k("FlowsKt.asOperation", "sizes below 1; onProgress without reportInterval; any timeout is valid")

        // ---- test kit ------------------------------------------------------------------------------
        k("CancellationAssertions.assertCanceledWithin", "an empty window; atLeast negative or after atMost (the java.time form)")
        n("CancellationAssertions.assertCanceled", "messageContains may be null")
        n("ManualSource.<init>", "the name")
        n("ManualSource.fire", "fire with nothing attached cancels none, by design")
        n("ManualSource.attach", "called by the library with its own scope")
        x("OperationRecorder.<init>", "no input")
        n("OperationRecorder.record")
        n("OperationRecorder.assertKinds", "no kinds means no events were recorded")
        n("OperationRecorder.onStart", "a callback the operation calls")
        n("OperationRecorder.onProgress", "a callback the operation calls")
        n("OperationRecorder.onCompleted", "a callback the operation calls")
        n("OperationRecorder.onCanceled", "a callback the operation calls")
        n("OperationRecorder.onFailed", "a callback the operation calls")
        n("RecordedEvent.<init>", "a value the recorder builds")
        x("EventKind.valueOf", "generated by the compiler for the enum")

        // ---- Java facade -------------------------------------------------------------------------
        j("Cancelables.operation", "null or blank name")
        j("Operation\$Builder.name", "null or blank name")
        j("Operation\$Builder.id", "null or blank id")
        j("Operation\$Builder.timeout", "null; any duration is valid: zero or negative has expired, too long is none")
        j("Operation\$Builder.condition", "null condition, interval or name; zero, negative, too long interval")
        j("Operation\$Builder.token", "null")
        j("Operation\$Builder.signals", "null array, null element, unknown signal")
        j("Operation\$Builder.source", "null")
        j("Operation\$Builder.parent", "null")
        j("Operation\$Builder.metadata", "null key, value or map")
        j("Operation\$Builder.registry", "null")
        j("Operation\$Builder.onStart", "null")
        j("Operation\$Builder.onProgress", "null")
        j("Operation\$Builder.onCompleted", "null")
        j("Operation\$Builder.onCanceled", "null")
        j("Operation\$Builder.onFailed", "null")
        j("Operation\$Builder.onFinished", "null")
        x("Operation\$Builder.interruptOnCancel", "any boolean")
        j("Operation.call", "null task; a run overlapping another with the same fixed id")
        j("Operation.supplyAsync", "null task or executor")
        j("Operation.runAsync", "null task or executor")
        j("Operation.compose", "null task (a task returning null fails its run, as any task failure does)")
        j("CancelableContext.sleep", "null, negative")
        j("CancelableContext.reportProgress", "null message or metadata")
        j("CancelableContext.onCancelRequested", "null hook")
        j("CancelableContext.cancel", "null reason or message")
        j("CancelableContext.putMetadata", "null key or value")
        x("CancelableContext.equals", "any object, null included")
        j("Invocations.requestCancel", "null registry or id; an unknown id returns false, by design")
        j("Invocations.sleep", "null, negative")
        j("Invocations.withFakeId", "null block")
        x("CancelableFunction.apply", "implemented by users; the operation calls it")
        x("CancelableRunnable.run", "implemented by users; the operation calls it")
        x("ProgressListener.onProgress", "implemented by users; the operation calls it")
        x("InvocationCanceledException.<init>", "message and operation may be null")
        x("NoInvocationContextException.<init>", "a message, null allowed")
    }

    val entries: Map<String, Coverage> get() = list
}
