namespace Cowbird.Kernel.Drivers
{
    // A screen of Columns x Rows character cells with a cursor, the way a terminal shows
    // text: what both the VGA text mode and the framebuffer console are. This class owns
    // the text and the cursor (where the next character goes, line wrap, scrolling, the
    // control characters); a subclass only draws: a cell, the scroll, the cursor.
    public abstract class TextScreen
    {
        public readonly int Columns;
        public readonly int Rows;

        private readonly char[] _text;   // what each cell shows, row by row
        private int _row;
        private int _column;             // == Columns after the last cell of a line is written
        private EscapeState _escape;
        private readonly int[] _parameters = new int[2];   // the CSI sequence's numbers so far
        private int _parameterIndex;     // which of them the digits go to
        private bool _privateSequence;   // a '?' sequence (ESC [ ? ...): a mode nobody here has

        // Where Write is in an escape sequence (ESC, or ESC [ parameters final byte).
        private enum EscapeState { None, Escape, Csi }

        protected TextScreen(int columns, int rows)
        {
            Columns = columns;
            Rows = rows;
            _text = new char[columns * rows];
        }

        // Draws character `c` in a cell.
        protected abstract void DrawCell(int row, int column, char c);

        // Moves the picture of rows 1..Rows-1 up to rows 0..Rows-2 (the last row is redrawn after).
        protected abstract void ScrollPicture();

        // Shows the cursor at a cell; HideCursor undoes it before the cursor moves.
        protected abstract void ShowCursor(int row, int column);

        // By default hiding the cursor redraws the cell it was drawn over.
        protected virtual void HideCursor(int row, int column) => DrawCell(row, column, CharAt(row, column));

        protected char CharAt(int row, int column) => _text[row * Columns + column];

        // Blanks every cell and puts the cursor top left.
        public void Clear()
        {
            for (int row = 0; row < Rows; row++)
                for (int column = 0; column < Columns; column++)
                    Set(row, column, ' ');
            _row = 0;
            _column = 0;
            ShowCursor(0, 0);
        }

        // Writes one character at the cursor: '\n' starts a new line, '\r' returns to column 0,
        // '\b' moves one cell left (the shell erases with "\b \b"), '\t' goes to the next
        // multiple of 8; an escape sequence is read whole (Escape); other control characters
        // are not shown.
        public void Write(char c)
        {
            HideCursor(_row, CursorColumn);
            if (_escape != EscapeState.None || c == '\x1b')
                Escape(c);
            else if (c == '\n')
                NewLine();
            else if (c == '\r')
                _column = 0;
            else if (c == '\b')
            {
                if (_column > 0)
                    _column--;
            }
            else if (c == '\t')
            {
                do
                    Put(' ');
                while (_column % 8 != 0 && _column < Columns);
            }
            else if (c >= ' ')
                Put(c);
            ShowCursor(_row, CursorColumn);
        }

        // One character of an escape sequence: ESC and one more character, or a CSI sequence
        // (ESC [, up to two numbers separated by ';', a final byte). The CSI sequences that
        // ash's line editor, vi, less and top use act: A B C D move the cursor up, down, right
        // and left, H (and f) put it at row;column, J erases to the end of the screen (2J:
        // all of it), K to the end of the line (2K: all of it). Every other sequence is
        // dropped, such as colours, the alternate screen (`ESC [ ? 1049 h`) and the `ESC [ 6 n`
        // question for the cursor's position, which only a terminal on the serial line answers.
        private void Escape(char c)
        {
            if (_escape == EscapeState.None)
            {
                _escape = EscapeState.Escape;
                return;
            }
            if (_escape == EscapeState.Escape)
            {
                _escape = c == '[' ? EscapeState.Csi : EscapeState.None;
                _parameters[0] = 0;
                _parameters[1] = 0;
                _parameterIndex = 0;
                _privateSequence = false;
                return;
            }
            if (c >= '0' && c <= '9')
            {
                if (_parameters[_parameterIndex] < 1000)
                    _parameters[_parameterIndex] = _parameters[_parameterIndex] * 10 + (c - '0');
            }
            else if (c == ';')
                _parameterIndex = _parameterIndex == 0 ? 1 : _parameterIndex;
            else if (c == '?')
                _privateSequence = true;
            else if (c >= '@' && c <= '~')
            {
                _escape = EscapeState.None;
                if (!_privateSequence)
                    ControlSequence(c, _parameters[0], _parameters[1]);
            }
        }

        // The CSI sequence with final byte `c` and numbers `first` and `second` (0 if absent).
        private void ControlSequence(char c, int first, int second)
        {
            int count = first > 0 ? first : 1;
            int column = CursorColumn;
            if (c == 'A')
                _row = Clamp(_row - count, Rows);
            else if (c == 'B')
                _row = Clamp(_row + count, Rows);
            else if (c == 'C')
                _column = Clamp(column + count, Columns);
            else if (c == 'D')
                _column = Clamp(column - count, Columns);
            else if (c == 'H' || c == 'f')
            {
                _row = Clamp(count - 1, Rows);
                _column = Clamp((second > 0 ? second : 1) - 1, Columns);
            }
            else if (c == 'K')
                EraseRow(_row, first == 2 ? 0 : column);
            else if (c == 'J')
            {
                for (int row = first == 2 ? 0 : _row + 1; row < Rows; row++)
                    EraseRow(row, 0);
                if (first != 2)
                    EraseRow(_row, column);
            }
        }

        private static int Clamp(int value, int limit) => value < 0 ? 0 : value >= limit ? limit - 1 : value;

        // Blanks row `row` from column `from` to its end.
        private void EraseRow(int row, int from)
        {
            for (int column = from; column < Columns; column++)
                Set(row, column, ' ');
        }

        // Past the end of a full line the cursor stays on its last cell until the next character wraps.
        private int CursorColumn => _column < Columns ? _column : Columns - 1;

        private void Put(char c)
        {
            if (_column == Columns)
                NewLine();
            Set(_row, _column, c);
            _column++;
        }

        private void Set(int row, int column, char c)
        {
            _text[row * Columns + column] = c;
            DrawCell(row, column, c);
        }

        private void NewLine()
        {
            _column = 0;
            if (_row < Rows - 1)
            {
                _row++;
                return;
            }
            ScrollPicture();
            for (int i = 0; i < (Rows - 1) * Columns; i++)
                _text[i] = _text[i + Columns];
            for (int column = 0; column < Columns; column++)
                Set(Rows - 1, column, ' ');
        }
    }
}
