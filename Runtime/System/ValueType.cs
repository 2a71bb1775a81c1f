namespace System
{
    // Base of all structs. Boxed structs are objects whose MethodTable derives from it.
    public abstract class ValueType { }

    // Base of all enums; the compiler gives each enum its `value__` field.
    public abstract class Enum : ValueType { }

    // Nullable<T>: the compiler lowers `T?` for structs to it. Boxing follows the
    // runtime's rule (RuntimeExports.RhBox): no value boxes to null.
    public struct Nullable<T> where T : struct
    {
        private readonly bool hasValue;
        internal T value;

        public Nullable(T value)
        {
            this.value = value;
            hasValue = true;
        }

        public readonly bool HasValue => hasValue;

        public readonly T GetValueOrDefault() => value;

        // The value; a Nullable without one is a bug in the caller (panic).
        public readonly T Value
        {
            get
            {
                if (!hasValue)
                    Cowbird.Runtime.RuntimePanic.Fail("Nullable.Value: no value");
                return value;
            }
        }

        public static explicit operator T(Nullable<T> nullable) => nullable.Value;

        public static implicit operator Nullable<T>(T value) => new Nullable<T>(value);
    }
}
