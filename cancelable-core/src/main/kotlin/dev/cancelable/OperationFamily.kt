package dev.cancelable

import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.Job
import java.lang.ref.WeakReference
import java.util.Collections
import java.util.concurrent.ConcurrentHashMap

/**
 * An operation's place in the hierarchy: its parent, its children, how deep it sits, and the cascade
 * of a cancel to its descendants. A child linked at construction (an explicit `parent`) is held weakly
 * until it runs, so a parent does not keep children alive that may never run; a running child is held
 * strongly until it ends. Thread-safe.
 */
internal class OperationFamily(private val op: CancelableImpl) {
    @Volatile var parent: CancelableImpl? = null
        private set

    /** Running children strongly; children linked at construction and not yet running, weakly. */
    @Volatile private var children: MutableSet<Any>? = null
    @Volatile private var weakLink: WeakReference<CancelableImpl>? = null
    @Volatile private var childMessage: String? = null

    /** Levels of parents above the operation when it started running (0 for a root). */
    var depth: Int = 0
        private set

    /** The id of a parent in another process, set at construction; recorded while there is no parent here. */
    @Volatile var remoteParentId: String? = null

    val parentId: String? get() = parent?.id ?: remoteParentId

    fun childIds(): Set<String> =
        children?.mapNotNullTo(LinkedHashSet()) { childOf(it)?.id }?.let(Collections::unmodifiableSet) ?: emptySet()

    /**
     * Links to [candidate] as parent. A link made at construction ([weakly]) does not keep the
     * operation alive until it starts running; then the parent holds it until it ends.
     */
    fun linkParent(candidate: Cancelable, weakly: Boolean = false) {
        if (candidate === op) return
        if (candidate !is CancelableImpl) {
            log.warn("operation {} '{}' cannot link to parent {} of unknown type {}; it runs without a parent", op.id, op.name, candidate.id, candidate.javaClass.name)
            return
        }
        if (candidate.isDone) {
            log.warn("operation {} '{}' cannot link to parent {} which has already ended; it runs without a parent", op.id, op.name, candidate.id)
            return
        }
        parent = candidate
        if (weakly) {
            val link = WeakReference(op)
            weakLink = link
            candidate.family.addChild(op, link)
        } else {
            candidate.family.addChild(op, op)
        }
    }

    /** The run begins: an operation without a parent of its own takes [implicitParent]. Returns true if it linked it here. */
    fun enter(implicitParent: Cancelable?): Boolean {
        val linkedHere = parent == null && implicitParent != null && implicitParent !== op
        if (linkedHere) linkParent(implicitParent) else if (weakLink != null) parent?.family?.holdStrongly(op)
        parent?.let { depth = it.family.depth + 1 }
        return linkedHere
    }

    /** A run that could not begin undoes the link [enter] made. */
    fun leave(linkedHere: Boolean) {
        if (linkedHere) parent?.family?.removeChild(op).also { parent = null }
    }

    /** The operation ended: it leaves its parent. */
    fun ended() {
        parent?.family?.removeChild(op)
    }

    /** The operation was released: its children no longer need it. */
    fun released() {
        if (children != null) children = null
    }

    private fun addChild(child: CancelableImpl, entry: Any) {
        val set = children ?: synchronized(this) {
            children ?: Collections.newSetFromMap(ConcurrentHashMap<Any, Boolean>()).also { children = it }
        }
        set.add(entry)
        if (op.isCanceled && !child.isShielded) child.family.fromParent(op, null)
    }

    private fun holdStrongly(child: CancelableImpl) {
        val link = child.family.weakLink ?: return
        child.family.weakLink = null
        children?.remove(link)
        addChild(child, child)
    }

    private fun removeChild(child: CancelableImpl) {
        val set = children ?: return
        set.remove(child)
        child.family.weakLink?.let { set.remove(it) }
    }

    /** A cancel of the operation reaches every child that is not a shield; [ownJob] is the Job canceled right after. */
    fun cascade(ownJob: Job?) {
        children?.forEach { entry -> childOf(entry)?.let { if (!it.isShielded) it.family.fromParent(op, ownJob) } }
    }

    /**
     * The parent's cascade. A child running in a coroutine whose Job descends from [parentJob] (the
     * usual nesting: `run` or `launch` inside the parent's block) only records its request and runs
     * its hooks here: the parent cancels [parentJob] right after its cascade, and structured
     * concurrency then cancels the child's Job within that same call, so canceling it here too would
     * only cancel it twice. Children linked across scopes, not yet running, or blocking are canceled
     * here in full.
     */
    private fun fromParent(parent: CancelableImpl, parentJob: Job?) {
        if (op.isCanceled) return
        val cancellation = CanceledByParentException(parent.family.messageForChildren(), parent.id, op)
        op.fire(cancellation, null, cancelJob = !jobDescendsFrom(parentJob))
    }

    /** The cancellation of an operation whose caller's coroutine was canceled. */
    fun callerCanceled(): CanceledByParentException {
        val p = parent
        return if (p != null) CanceledByParentException(p.family.messageForChildren(), p.id, op)
        else CanceledByParentException("Operation canceled: the calling coroutine was canceled", null, op)
    }

    /** True if the operation's Job is a strict descendant of [ancestor]; walked only when a cancel cascades. */
    @OptIn(ExperimentalCoroutinesApi::class)
    private fun jobDescendsFrom(ancestor: Job?): Boolean {
        if (ancestor == null) return false
        var current: Job = op.job ?: return false
        while (true) {
            current = current.parent ?: return false
            if (current === ancestor) return true
        }
    }

    /** The message of the cancellation this operation's cancel hands each child: built once, not once per child. */
    private fun messageForChildren(): String =
        childMessage ?: "Operation canceled: parent '${op.name}' (${op.id}) was canceled".also { childMessage = it }

    private companion object {
        private val log = CancelableImpl.log

        @Suppress("UNCHECKED_CAST")
        private fun childOf(entry: Any): CancelableImpl? = entry as? CancelableImpl ?: (entry as WeakReference<CancelableImpl>).get()
    }
}
