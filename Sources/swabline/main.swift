import SwablineServer
import ArgumentParser
import GRDB
