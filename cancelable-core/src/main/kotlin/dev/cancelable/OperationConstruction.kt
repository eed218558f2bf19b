package dev.cancelable

import dev.cancelable.internal.Ids
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.source.CancellationSource
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import java.time.Clock
import kotlin.coroutines.CoroutineContext

/*
 * Where operations and what they own come from, apart from the public factory's argument checks: a
 * new operation, the combination of several, and the scope its sources poll in.
 */

/** A new pending operation; the clock defaults to the registry's, or the system UTC clock. */
internal fun newOperation(
    name: String,
    id: String?,
    parent: Cancelable?,
    remoteParentId: String?,
    metadata: Map<String, Any?>,
    registry: OperationRegistry?,
    clock: Clock?,
    sources: Array<CancellationSource>,
): CancelableImpl {
    val op = CancelableImpl(id ?: Ids.next(), name, metadata, registry, clock ?: registry?.clock ?: Clock.systemUTC(), false, sources)
    if (parent != null) op.family.linkParent(parent, weakly = true)
    if (remoteParentId != null) op.family.remoteParentId = remoteParentId
    return op
}

/**
 * The operation [first].combine([others]) makes: every source of each (the earliest deadline wins,
 * each token once), a link that follows a direct cancel of each, their metadata merged, their
 * callbacks carried, and [first]'s parent and remote parent.
 */
internal fun combination(first: CancelableImpl, others: Array<out Cancelable>): Cancelable {
    val all = listOf<Cancelable>(first) + others
    val merged = LinkedHashMap<String, Any?>()
    all.forEach { merged.putAll(it.metadata) }
    merged["combined"] = true
    merged["sources"] = all.map { it.id }
    var combinedSources = SourceList.NONE
    for (op in all.distinct()) {
        if (op is CancelableImpl) op.sources.forEach { combinedSources = SourceList.plus(combinedSources, it) }
        combinedSources = SourceList.plus(combinedSources, LinkedOperationSource(op))
    }
    val combined = CancelableImpl(Ids.next(), "combined_${first.name}", merged, first.registry, first.clock, false, combinedSources)
    first.parentOp?.let { combined.family.linkParent(it, weakly = true) }
    first.remoteParentId?.let { combined.family.remoteParentId = it }
    combined.writableCallbacks().carry(all.filterIsInstance<CancelableImpl>())
    return combined
}

/**
 * The scope the sources of [operation] poll in: on its dispatcher while a suspend run is inside its
 * scope ([runContext]; virtual time then drives the polls), or on `Dispatchers.Default` for blocking
 * runs. It is not a child of the operation's Job (it must be able to finish while a poller still
 * waits), and a poller's failure is logged, never propagated to the operation.
 */
internal fun pollerScope(runContext: CoroutineContext?, operation: Cancelable): CoroutineScope =
    if (runContext != null) CoroutineScope(runContext.minusKey(Job) + SupervisorJob() + PollerFailures)
    else CoroutineScope(Dispatchers.Default + operation + SupervisorJob() + PollerFailures)

private val PollerFailures = CoroutineExceptionHandler { _, e -> CancelableImpl.log.warn("a source's coroutine failed", e) }
