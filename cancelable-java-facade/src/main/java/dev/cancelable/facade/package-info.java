/**
 * The Java facade of cancelable: operations shaped for {@code CompletableFuture}, blocking callers and
 * {@code java.time.Duration}.
 */
package dev.cancelable.facade;
