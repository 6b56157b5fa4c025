// @ts-check
'use strict';
/**
 * The Java side of the throwaway servers (Neo4j, Gremlin Server): each has a folder under scripts/ holding a pom.xml
 * (its jars, from Maven Central) and one launcher class. The jars are resolved once into ~/.m2 and the classpath is
 * cached under .cache/<name>/ with the compiled launcher, so later runs start without Maven.
 */
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..');

/** Java 17 (or newer) binary: JAVA_HOME when set, else the one on PATH. */
function javaBin(name) {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', name) : name;
}

function newestMtime(files) {
  return Math.max(...files.map((f) => fs.statSync(f).mtimeMs));
}

/**
 * Resolves the jars of scripts/<name>/pom.xml (Maven, when the pom changed or a jar is gone) and compiles
 * scripts/<name>/<launcher>.java (when it or the classpath changed); returns the full classpath.
 * @param {{ name: string, launcher: string, title: string, log: (line: string) => void }} spec
 */
function prepareLauncherClasspath(spec) {
  const launcherDir = path.join(ROOT, 'scripts', spec.name);
  const cacheDir = path.join(ROOT, '.cache', spec.name);
  fs.mkdirSync(cacheDir, { recursive: true });
  const pom = path.join(launcherDir, 'pom.xml');
  const source = path.join(launcherDir, `${spec.launcher}.java`);
  const cpFile = path.join(cacheDir, 'classpath.txt');
  const classesDir = path.join(cacheDir, 'classes');
  const classFile = path.join(classesDir, `${spec.launcher}.class`);

  const cpStale =
    !fs.existsSync(cpFile) ||
    fs.statSync(cpFile).mtimeMs < newestMtime([pom]) ||
    fs
      .readFileSync(cpFile, 'utf8')
      .split(path.delimiter)
      .some((jar) => jar && !fs.existsSync(jar));
  if (cpStale) {
    spec.log(`resolving ${spec.title} jars with Maven (first run only)...`);
    execFileSync('mvn', ['-q', '-B', '-f', pom, 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
  const classpath = fs.readFileSync(cpFile, 'utf8').trim();
  if (!fs.existsSync(classFile) || fs.statSync(classFile).mtimeMs < newestMtime([source, cpFile])) {
    fs.mkdirSync(classesDir, { recursive: true });
    execFileSync(javaBin('javac'), ['-d', classesDir, '-cp', classpath, source], { stdio: 'inherit' });
  }
  return `${classesDir}${path.delimiter}${classpath}`;
}

module.exports = { javaBin, prepareLauncherClasspath };
