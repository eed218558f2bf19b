package dev.cancelable.source

import dev.cancelable.internal.logger
import dev.cancelable.internal.rethrowIfFatal
import kotlinx.coroutines.DisposableHandle

private val log = logger("source.composite")

internal fun requireSources(sources: List<CancellationSource>): List<CancellationSource> {
    require(sources.isNotEmpty()) { "At least one source is required (sources is empty)" }
    return sources
}

/** A composite's view of the operation for one child: everything but [fire] goes to the parent. */
internal abstract class ChildScope(private val parent: SourceScope) : SourceScope by parent

internal fun attachChild(child: CancellationSource, scope: SourceScope): DisposableHandle? = try {
    child.attach(scope)
} catch (e: Throwable) {
    e.rethrowIfFatal()
    log.warn("source {} failed to attach; it is ignored", child, e)
    null
}

internal fun disposeChild(handle: DisposableHandle?) {
    try {
        handle?.dispose()
    } catch (e: Throwable) {
        e.rethrowIfFatal()
        log.warn("source failed to dispose", e)
    }
}
