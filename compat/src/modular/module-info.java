/** A user's application on the module path: it names the library's modules and nothing else. */
module dev.cancelable.compat.modular {
    requires dev.cancelable.facade;
    requires dev.cancelable.test;
    requires java.management;
}
