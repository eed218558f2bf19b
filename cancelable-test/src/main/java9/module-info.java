/**
 * The test kit for code built on cancelable: an operation event recorder, cancellation assertions and
 * a manual source, usable from Kotlin and Java tests.
 */
module dev.cancelable.test {
    requires transitive dev.cancelable.core;
    requires transitive kotlinx.coroutines.test;

    exports dev.cancelable.test;
}
