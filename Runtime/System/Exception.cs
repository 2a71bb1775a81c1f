namespace System
{
    // Exceptions exist so that `throw` compiles; there is no unwinder, so a throw
    // stops the kernel with a panic that prints the message (see RhpThrowEx).
    public class Exception
    {
        private readonly string _message;

        public Exception() { }

        public Exception(string message)
        {
            _message = message;
        }

        public virtual string Message => _message;
    }
}
