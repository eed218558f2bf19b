package dev.cancelable.registry

/**
 * A change in an [OperationRegistry], as seen on [OperationRegistry.events]: an operation started,
 * reported progress, or finished. Immutable; safe to share between threads.
 */
public sealed class RegistryEvent {
    /** Id of the operation the event is about. */
    public abstract val operationId: String

    /** An operation started running; [snapshot] is its state at that moment. */
    public class Started internal constructor(public val snapshot: OperationSnapshot) : RegistryEvent() {
        override val operationId: String get() = snapshot.id
        override fun toString(): String = "Started(${snapshot.id} '${snapshot.name}')"
    }

    /** An operation reported progress. */
    public class Progress internal constructor(
        override val operationId: String,
        /** The progress message. */
        public val message: String,
        /** The metadata reported with it. */
        public val metadata: Map<String, Any?>,
    ) : RegistryEvent() {
        override fun toString(): String = "Progress($operationId '$message')"
    }

    /** An operation finished; [snapshot] is its final state, as kept in history. */
    public class Finished internal constructor(public val snapshot: OperationSnapshot) : RegistryEvent() {
        override val operationId: String get() = snapshot.id
        override fun toString(): String = "Finished(${snapshot.id} '${snapshot.name}' ${snapshot.status})"
    }
}
