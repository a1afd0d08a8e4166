import ast
import os
import shlex
import subprocess

from django.http import JsonResponse
from flask import request
from PIL import ImageMath


def cmd_lab(request):
    domain = request.POST.get("domain")
    command = "dig {}".format(domain)
    # ruleid: gates.python.command-injection, gates.python.shell-command-string
    process = subprocess.Popen(command, shell=True, stdout=subprocess.PIPE)
    return process.communicate()


def ping():
    host = request.args["host"]
    # ruleid: gates.python.command-injection, gates.python.shell-command-string
    os.system("ping -c 1 " + host)


def lookup():
    # ruleid: gates.python.command-injection, gates.python.shell-command-string
    return os.popen(f"nslookup {request.form['name']}").read()


def split_args():
    command = "nmap " + request.form["ip"]
    # no shell, but the user still picks the program's arguments
    # ruleid: gates.python.command-injection
    return subprocess.run(command.split(" "), capture_output=True)


def first_arg():
    program = request.args.get("tool")
    # ruleid: gates.python.command-injection
    return subprocess.run([program, "--version"])


def command_out(command):
    # a helper that shells out whatever it is given
    # ruleid: gates.python.shell-command-string
    return subprocess.Popen(command, shell=True, stdout=subprocess.PIPE)


def quoted():
    host = shlex.quote(request.args["host"])
    # ok: gates.python.command-injection
    return subprocess.check_output(["ping", "-c", "1", host])


def argument_list():
    host = request.args["host"]
    # the user value is one argument of a fixed program, with no shell
    # ok: gates.python.command-injection
    return subprocess.run(["ping", "-c", "1", host], check=True)


def literal_shell():
    # ok: gates.python.shell-command-string
    return subprocess.run("ls -l | wc -l", shell=True)


def literal_variable():
    cmd = "df -h"
    # ok: gates.python.shell-command-string
    return os.system(cmd)


def no_shell(path):
    # ok: gates.python.shell-command-string
    return subprocess.run(["tar", "-xf", path], check=True)


def calculator(request):
    expression = request.POST.get("expression")
    # ruleid: gates.python.code-injection
    return JsonResponse({"result": eval(expression)})


def run_snippet():
    # ruleid: gates.python.code-injection
    exec(request.form["code"], {})


def image_formula(request):
    function = request.POST.get("function")
    # ruleid: gates.python.code-injection
    return ImageMath.eval(function, a=load(request.FILES["file"]))


def literal_only(request):
    # ok: gates.python.code-injection
    return ast.literal_eval(request.POST["value"])


def number(request):
    # ok: gates.python.code-injection
    return eval(str(int(request.GET["n"])) + " * 2")


def constant_expression():
    # ok: gates.python.code-injection
    return eval("1 + 1")
