"""Every `python -m training.<folder>.<module> ...` command training/README.md gives is accepted
by that module's argument parser: the GPU queue's device calls above all, since a session gets
15 minutes of device time and a renamed flag would spend a start-up on a usage error.

Only the parsing is checked: each module's `__main__` runs in this process with the README's
arguments, and the parser's answer is caught before the module does any work. A module whose
import needs a package this python lacks (onnxruntime, for some) is skipped with the reason.
Run: /usr/bin/python3 -m unittest training/test_readme_commands.py"""
import argparse
import contextlib
import io
import os
import re
import runpy
import shlex
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = os.path.join(ROOT, 'training', 'README.md')
MODULE = re.compile(r'-m (training\.[a-z_]+\.[a-z_]+)\b')
FENCED = re.compile(r'```[a-z]*\n(.*?)```', re.S)


def _joined_lines(block, device_only=False):
    """A fenced block's commands: backslash continuations joined, and a commented
    `run(command="...", carry=...)` device call reduced to its command string
    (device_only: those alone)."""
    commands, device, buf, in_run = [], [], '', False
    for line in block.split('\n'):
        line = line.rstrip()
        if in_run:
            buf += ' ' + re.sub(r'^#?\s*', '', line)
            if '"' in buf:
                device.append(buf.split('"')[0])
                buf, in_run = '', False
            continue
        if 'run(command="' in line:
            buf = line.split('run(command="', 1)[1]
            if '"' in buf:
                device.append(buf.split('"')[0])
                buf = ''
            else:
                in_run = True
            continue
        buf = f'{buf} {line.strip()}' if buf else line
        if buf.endswith('\\'):
            buf = buf[:-1]
            continue
        commands.append(re.sub(r'\s#.*$', '', buf))
        buf = ''
    return device if device_only else commands + device


def readme_commands(text):
    """(module, argv) for every training module invocation in fenced blocks and inline code."""
    lines = [c for block in FENCED.findall(text) for c in _joined_lines(block)]
    prose = FENCED.sub('', text)
    lines += [' '.join(span.split()) for span in re.findall(r'`([^`]+)`', prose)]
    found = []
    for line in lines:
        for part in re.split(r'&&|\|\||\||;', line):
            match = MODULE.search(part)
            if not match:
                continue
            argv = shlex.split(part[match.end():])
            argv = [a for a in argv if not re.fullmatch(r'\d?>&?\d?', a)]  # 2>&1
            # shell variables of the README's loops and device calls: any value parses as a path or a number
            argv = [re.sub(r'\$OUT\b', 'OUT', a) for a in argv]
            argv = [re.sub(r'\$[a-z_]+', '1', a) for a in argv]
            found.append((match.group(1), argv))
    return found


def _readme():
    with open(README) as f:
        return f.read()


class _Parsed(Exception):
    pass


def _parse_only(module, argv):
    """Run MODULE's __main__ with ARGV until its parser answers: 'ok', or the parser's error."""
    original = argparse.ArgumentParser.parse_args

    def parse_args(self, args=None, namespace=None):
        original(self, args, namespace)
        raise _Parsed()

    saved_argv, stderr = sys.argv, io.StringIO()
    argparse.ArgumentParser.parse_args = parse_args
    sys.argv = [module] + argv
    try:
        with contextlib.redirect_stderr(stderr):
            runpy.run_module(module, run_name='__main__', alter_sys=True)
    except _Parsed:
        return 'ok'
    except SystemExit as e:
        return f'exit {e.code}: {stderr.getvalue().strip()}'
    finally:
        argparse.ArgumentParser.parse_args = original
        sys.argv = saved_argv
    return 'the module ran to its end without parsing its arguments'


class ReadmeCommandsTest(unittest.TestCase):
    def test_extraction_finds_the_gpu_queue(self):
        modules = {m for m, _ in readme_commands(_readme())}
        for queued in ('training.evaluate.loso', 'training.train.train_all', 'training.train.generator_gpu',
                       'training.train.distill_decoder', 'training.train.distill_guidance',
                       'training.experiments.synthetic_gain'):
            self.assertIn(queued, modules)

    def test_device_calls_print_straight_to_the_reply(self):
        """The device tool keeps the last 12,000 characters of output; a pipeline killed at the
        call's limit returns none, and Python holds output back unless unbuffered."""
        calls = [c for block in FENCED.findall(_readme()) for c in _joined_lines(block, device_only=True)]
        self.assertGreaterEqual(len(calls), 6)
        for call in calls:
            with self.subTest(call=call):
                self.assertTrue(call.startswith('export PYTHONUNBUFFERED=1;'))
                self.assertNotIn('| tail', call)

    def test_every_command_parses(self):
        commands = readme_commands(_readme())
        self.assertGreater(len(commands), 50)
        for module, argv in commands:
            with self.subTest(command=' '.join([module] + argv)):
                try:
                    outcome = _parse_only(module, argv)
                except ModuleNotFoundError as e:
                    if e.name and not e.name.startswith('training'):
                        self.skipTest(f'{module} needs {e.name}, which this python lacks')
                    raise
                self.assertEqual(outcome, 'ok')


if __name__ == '__main__':
    unittest.main()
