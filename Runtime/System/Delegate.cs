namespace System
{
    // A delegate is an object holding a target and a code pointer. ILC generates
    // the Invoke stubs and calls the Initialize* methods below when a delegate is
    // created; it binds the four fields by name.
    public abstract class Delegate
    {
#pragma warning disable 649, 169
        internal object _firstParameter;
        internal object _helperObject;
        internal IntPtr _extraFunctionPointerOrData;
        internal IntPtr _functionPointer;
#pragma warning restore 649, 169

        // Delegate to an instance method: `target.Method`.
        private void InitializeClosedInstance(object firstParameter, IntPtr functionPointer)
        {
            _functionPointer = functionPointer;
            _firstParameter = firstParameter;
        }

        // Delegate to a static method, called through a thunk that drops `this`.
        private void InitializeOpenStaticThunk(object firstParameter, IntPtr functionPointer, IntPtr functionPointerThunk)
        {
            _firstParameter = this;
            _functionPointer = functionPointerThunk;
            _extraFunctionPointerOrData = functionPointer;
        }

        // Delegate to a static method whose first argument is bound (extension method).
        private void InitializeClosedStaticThunk(object firstParameter, IntPtr functionPointer, IntPtr functionPointerThunk)
        {
            _firstParameter = this;
            _functionPointer = functionPointerThunk;
            _extraFunctionPointerOrData = functionPointer;
            _helperObject = firstParameter;
        }
    }

    // Every C# delegate type derives from it; multicast (+=) is not supported.
    public abstract class MulticastDelegate : Delegate { }
}
