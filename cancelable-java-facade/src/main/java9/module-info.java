/**
 * The Java API over cancelable-core: {@code CompletableFuture}, blocking calls and
 * {@code java.time.Duration}.
 */
module dev.cancelable.facade {
    requires transitive dev.cancelable.core;
    requires kotlinx.coroutines.core;

    exports dev.cancelable.facade;
}
